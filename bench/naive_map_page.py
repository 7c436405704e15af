"""The issue's baseline page for `make bench`: what a first draft of a map page does.

It reads the raw, unsimplified boundaries (Statistics Finland's 1:4 500 000 areas, EPSG:3067) on
every run, reprojects them, and draws them as an Altair map, with no cache of any kind. Our pages
do far more on a rerun; the bench asks that they cost no more than a fraction of this.
"""

from pathlib import Path

import altair as alt
import geopandas as gpd
import streamlit as st

SOURCE = Path(__file__).resolve().parents[2] / "shared" / "geo" / "hyvinvointialue4500k.geojson"

st.title("Hyvinvointialueet")
areas = gpd.read_file(SOURCE).to_crs("EPSG:4326")
chart = (
    alt.Chart(alt.Data(values=areas.__geo_interface__["features"]))
    .mark_geoshape(stroke="white")
    .encode(
        color=alt.Color("properties.vaesto_2020:Q", title="Väestö 2020"),
        tooltip=[alt.Tooltip("properties.nimi:N", title="Alue")],
    )
    .project("mercator")
    .properties(height=600)
)
st.altair_chart(chart)
