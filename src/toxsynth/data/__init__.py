"""Reading public datasets and a user's own files into canonical records, then cleaning and splitting them."""
