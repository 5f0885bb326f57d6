"""JUnit XML for CI systems: one test suite per input file, one failed test case per error.

The fields are those of the text and JSON formats: each failure carries the
code (``type``), the message, the severity, the location and the finding's
text line; warnings and notes go to ``system-out``, one text line each.
``lint``, ``validate`` and ``package`` all write it through this module;
``package`` adds a suite of its steps, one test case each.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from toolkit.diagnostics import Diagnostic

FileResult = tuple[str, list[Diagnostic] | None, str | None]  # path, findings, or why it could not be read


@dataclass(frozen=True)
class StepCase:
    """One step of a run (``package``): its id, kind, what happened, and why it failed."""

    step: str
    kind: str
    action: str  # ran, skipped, failed, blocked
    error: str | None = None


def junit_report(
    name: str, results: list[FileResult], passed: str = "checks", steps: list[StepCase] | None = None
) -> str:
    suites = ET.Element("testsuites", name=name)
    total_tests = total_failures = total_errors = 0
    for path, diagnostics, failure in results:
        suite = ET.SubElement(suites, "testsuite", name=path)
        tests = failures = errors = 0
        if failure is not None:
            case = ET.SubElement(suite, "testcase", classname=path, name="read")
            ET.SubElement(case, "error", message=failure, type="unreadable").text = failure
            tests, errors = 1, 1
        else:
            findings = [d for d in diagnostics or [] if d.is_error]
            for diagnostic in findings:
                location = diagnostic.location
                where = location.pointer or (f"line {location.line}" if location.line is not None else "(file)")
                case = ET.SubElement(suite, "testcase", classname=path, name=f"{where} {diagnostic.code}")
                node = ET.SubElement(
                    case, "failure", message=diagnostic.message, type=diagnostic.code,
                    severity=diagnostic.severity.value, file=location.path or path,
                    line="" if location.line is None else str(location.line),
                )
                # The rest of the JSON location, where there is one (column, cue, time, pointer), and the fix.
                fields = diagnostic.to_dict()
                for name in ("column", "cue", "time", "pointer"):
                    if fields["location"].get(name) is not None:
                        node.set(name, str(fields["location"][name]))
                if diagnostic.fix:
                    node.set("fix", diagnostic.fix)
                node.text = fields["text"]
            tests, failures = len(findings), len(findings)
            if not findings:
                ET.SubElement(suite, "testcase", classname=path, name=passed)
                tests = 1
            notes = [d.format_text() for d in diagnostics or [] if not d.is_error]
            if notes:
                ET.SubElement(suite, "system-out").text = "\n".join(notes)
        suite.set("tests", str(tests))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
        total_tests += tests
        total_failures += failures
        total_errors += errors
    if steps is not None:
        tests, failures = _step_suite(suites, name, steps)
        total_tests += tests
        total_failures += failures
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    suites.set("errors", str(total_errors))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")


def _step_suite(suites: ET.Element, name: str, steps: list[StepCase]) -> tuple[int, int]:
    """A test case per step; a failed or blocked step is a failure with its error."""
    suite = ET.SubElement(suites, "testsuite", name=f"{name} steps")
    failures = 0
    for step in steps:
        case = ET.SubElement(suite, "testcase", classname=step.kind, name=step.step)
        if step.action in ("failed", "blocked"):
            failures += 1
            message = step.error or step.action
            ET.SubElement(case, "failure", message=message, type=step.action).text = f"{step.step}: {step.action}: {message}"
        elif step.action == "skipped":
            ET.SubElement(case, "system-out").text = "up to date"
    suite.set("tests", str(len(steps)))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    return len(steps), failures
