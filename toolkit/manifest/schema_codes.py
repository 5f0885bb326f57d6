"""M1xx: the manifest's shape, as JSON Schema (``screenkit schema manifest``) checks it.

One code per kind of schema keyword that failed; the message says which value
and what the schema wants, at the value's line and column.
"""

from __future__ import annotations

from toolkit.diagnostics import CodeDoc, Severity

E = Severity.ERROR

CODES = (
    CodeDoc("M100", "schema error", E, "The manifest breaks a schema rule that has no code of its own (e.g. none of the alternatives of a oneOf matches).", "Compare the value with `screenkit schema manifest`."),
    CodeDoc("M101", "wrong type", E, "A value is of the wrong type: text where a number is expected, a list where an object is, a number too large to be exact.", "Write the value as the type the message names."),
    CodeDoc("M102", "required field missing", E, "An object lacks a field the schema requires.", "Add the field."),
    CodeDoc("M103", "unknown field", E, "A field name the schema does not know: usually a typo (the message suggests the nearest known name).", "Correct or remove the field."),
    CodeDoc("M104", "value not among the allowed ones", E, "The value must be one of a fixed list (a role, a container, a format).", "Use one of the values the message lists."),
    CodeDoc("M105", "bad format", E, "A date, date-time, URL or other formatted text cannot be read: a date-time needs RFC 3339 with a UTC offset (2026-03-14T19:00:00+01:00), a URL needs a scheme and a host.", "Write the value in the format the message names."),
    CodeDoc("M106", "text does not match the pattern", E, "A text value breaks its pattern: ids (lowercase letters, digits, dashes), language tags (BCP 47), sha256 (64 hex digits), frame rates (24, 23.976, 24000/1001 with a positive numerator and denominator).", "Write it as the message shows."),
    CodeDoc("M107", "number out of range", E, "A number is outside the safe range the schema allows: durations and runtimes (up to 24 hours), minutes (up to a day), counts, years 1900 to 2200. Values such as .inf, .nan and 1e400 are refused here, before any check computes with them.", "Use a value in the range the message gives."),
    CodeDoc("M108", "too long, too short, too many or too few", E, "A text is longer or shorter than allowed, or a list or object has too many or too few items.", "Shorten, lengthen, add or remove items as the message says."),
    CodeDoc("M109", "duplicate items", E, "A list that must hold each item once holds one twice.", "Remove the duplicate."),
)
