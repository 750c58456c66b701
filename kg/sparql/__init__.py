"""SPARQL text, read in one place: which operation a text is, whether it reaches outside, and how
parameters are bound into it. Every module that needs to know something about a query's text asks
here, through one tokenizer of the SPARQL 1.1 grammar, instead of matching the text with its own
regular expression."""

from .binding import bind_values
from .text import QUERY_FORMS, forbidden, names_its_dataset, operation, tokens, undeclared_prefixes, with_using

__all__ = [
    "QUERY_FORMS",
    "bind_values",
    "forbidden",
    "names_its_dataset",
    "operation",
    "tokens",
    "undeclared_prefixes",
    "with_using",
]
