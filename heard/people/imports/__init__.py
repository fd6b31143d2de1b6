"""Reading and checking member import files, free of the database (see services.imports)."""
