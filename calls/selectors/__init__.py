"""Reads for the manager pages, one module per page: the call list (listing), one call in full
(detail), the dashboard's numbers (dashboard). Each page costs a fixed number of queries."""
