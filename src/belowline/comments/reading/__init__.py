"""Reading threads without the framework: anonymous pages rendered straight from the database."""
