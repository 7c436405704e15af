"""Chart builders: pure functions from tables to Altair / Vega-Lite specs."""
