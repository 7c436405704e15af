"""The domain: roadmap values, area and municipality registries, indicators, rights, the error
model, settings and language. Imports nothing else of sotedata.
"""
