"""What a page, the CLI and the pack show, as data (no Streamlit): the URL/filter grammar, the
national, area, risks, indicator, change and table views.
"""
