"""refs: parse, normalise, verify and export bibliographic reference lists."""

from refs.model import Date, Item, Person, Reference, Repair, Span
from refs.parse import parse_list, parse_reference

__all__ = ["Date", "Item", "Person", "Reference", "Repair", "Span", "parse_list", "parse_reference"]
__version__ = "0.1.0"
