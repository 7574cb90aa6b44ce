"""Tools for legal drafters: the legal index, and the names of the parameters each branch reads."""
