"""Files out: tables as XLSX/CSV, the meeting pack."""
