"""What the Streamlit pages share: cached store access, sign-in, sections drawn by more than one
page. Page scripts live in pages/; nothing under sotedata/ imports this.
"""
