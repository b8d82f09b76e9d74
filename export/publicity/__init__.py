"""Publicity documents: xlsx/PDF tables, household sheets, notices, declarations and maps."""
