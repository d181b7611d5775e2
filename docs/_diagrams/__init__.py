"""Diagrams of the network drawn as inline SVG by code (see ``docs/_hooks/diagrams.py``)."""
