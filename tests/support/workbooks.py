"""Small workbooks the import tests build themselves (one helper instead of a copy per file)."""

from io import BytesIO

from openpyxl import Workbook

#: a grants (hankeseuranta) sheet's headers as a Finnish preparer writes them
GRANT_HEADER = [
    "Hyvinvointialue",
    "Hanke",
    "Ohjelma",
    "Myönnetty €",
    "Käytetty €",
    "Hankeaika",
    "Tila",
    "Tiekartan toimenpiteet",
]
#: a notes sheet's headers as a Finnish preparer writes them
NOTE_HEADER = [
    "Alue",
    "Päivämäärä",
    "Muistiinpano",
    "Lähdetyyppi",
    "Linkki",
    "Tunnisteet",
    "Toimenpiteen tunnus",
    "Riskin tunnus",
]


def xlsx(sheets: dict[str, list[list[object]]]) -> bytes:
    """An .xlsx with one sheet per entry, rows appended as given."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
