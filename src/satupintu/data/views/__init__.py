"""Views of the data hub: the public open-data portal (portal.py), the OPD workspace
(workspace.py) and the walidata review (review.py)."""
