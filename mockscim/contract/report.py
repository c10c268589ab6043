"""Observations of contract-scenario steps, and the divergence report between two runs.

Each scenario step records what a client can observe without caring about values that differ
on every run (ids, tokens, timestamps): the status code, the vendor error type, which
top-level fields are present, and the JSON shape (types, recursively). Two runs of the same
suite (the mock and a live vendor, or two mock configurations) are then compared step by
step; every difference is a place where one side is not faithful to the other.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULTS_VERSION = 1


def error_type_of(status: int, body: Any, text: str = "") -> str | None:
    """The vendor's own name for a failure: Stytch ``error_type``, SSOReady gRPC code, SCIM
    ``scimType`` (or ``scim:<status>``), or ``text`` for a plain-text answer."""
    if status < 400:
        return None
    if isinstance(body, dict):
        if isinstance(body.get("error_type"), str):
            return body["error_type"]
        if "code" in body and isinstance(body.get("code"), int):
            return f"grpc:{body['code']}"
        schemas = body.get("schemas")
        if isinstance(schemas, list) and any("Error" in str(s) for s in schemas):
            scim_type = body.get("scimType")
            return f"scim:{scim_type}" if scim_type else f"scim:{status}"
        if "detail" in body:
            return f"detail:{status}"
        return f"json:{status}"
    return "text" if text else "empty"


def shape_of(value: Any, depth: int = 0) -> Any:
    """The JSON type tree of ``value``: objects keep their keys, arrays the shape of their
    first item, scalars become their type name."""
    if depth > 8:
        return "…"
    if isinstance(value, dict):
        return {k: shape_of(v, depth + 1) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [shape_of(value[0], depth + 1)] if value else []
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "null"


@dataclass
class Observation:
    status: int
    error_type: str | None
    fields: list[str]
    shape: Any

    @classmethod
    def of(cls, status: int, body: Any, text: str = "") -> Observation:
        fields = sorted(body) if isinstance(body, dict) else []
        return cls(status, error_type_of(status, body, text), fields, shape_of(body))

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "error_type": self.error_type,
            "fields": self.fields,
            "shape": self.shape,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Observation:
        return cls(
            raw["status"], raw.get("error_type"), list(raw.get("fields", [])), raw.get("shape")
        )


@dataclass
class Results:
    """One run of the scenario suite against one target."""

    target: str
    label: str = ""
    observations: dict[str, Observation] = field(default_factory=dict)

    def record(self, key: str, observation: Observation) -> None:
        self.observations[key] = observation

    def to_json(self) -> dict[str, Any]:
        return {
            "version": RESULTS_VERSION,
            "target": self.target,
            "label": self.label,
            "observations": {k: o.to_json() for k, o in sorted(self.observations.items())},
        }

    def save(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2, sort_keys=True) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> Results:
        raw = json.loads(Path(path).read_text())
        if raw.get("version") != RESULTS_VERSION:
            raise ValueError(f"{path}: not a mockscim contract results file (version)")
        return cls(
            raw.get("target", "?"),
            raw.get("label", ""),
            {k: Observation.from_json(v) for k, v in raw.get("observations", {}).items()},
        )


# ---------------------------------------------------------------- diff
def _shape_diffs(a: Any, b: Any, path: str = "$") -> list[dict[str, Any]]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            sub = f"{path}.{key}"
            if key not in b:
                out.append({"path": sub, "left": shape_summary(a[key]), "right": "absent"})
            elif key not in a:
                out.append({"path": sub, "left": "absent", "right": shape_summary(b[key])})
            else:
                out.extend(_shape_diffs(a[key], b[key], sub))
        return out
    if isinstance(a, list) and isinstance(b, list):
        if a and b:
            return _shape_diffs(a[0], b[0], f"{path}[]")
        return []  # an empty list is compatible with any list
    if a != b:
        return [{"path": path, "left": shape_summary(a), "right": shape_summary(b)}]
    return []


def shape_summary(shape: Any) -> str:
    if isinstance(shape, dict):
        return "object"
    if isinstance(shape, list):
        return "array"
    return str(shape)


def diff(left: Results, right: Results) -> dict[str, Any]:
    """Every difference between two runs, step by step."""
    steps = []
    for key in sorted(set(left.observations) | set(right.observations)):
        a = left.observations.get(key)
        b = right.observations.get(key)
        if a is None or b is None:
            steps.append(
                {
                    "step": key,
                    "kind": "missing",
                    "left": "ran" if a else "not run",
                    "right": "ran" if b else "not run",
                }
            )
            continue
        found: list[dict[str, Any]] = []
        if a.status != b.status:
            found.append({"kind": "status", "left": a.status, "right": b.status})
        if a.error_type != b.error_type:
            found.append({"kind": "error_type", "left": a.error_type, "right": b.error_type})
        only_left = sorted(set(a.fields) - set(b.fields))
        only_right = sorted(set(b.fields) - set(a.fields))
        if only_left or only_right:
            found.append({"kind": "fields", "left_only": only_left, "right_only": only_right})
        shape = _shape_diffs(a.shape, b.shape)
        if shape:
            found.append({"kind": "shape", "differences": shape})
        for item in found:
            steps.append({"step": key, **item})
    return {
        "left": {"target": left.target, "label": left.label, "steps": len(left.observations)},
        "right": {"target": right.target, "label": right.label, "steps": len(right.observations)},
        "differences": steps,
        "differing_steps": sorted({s["step"] for s in steps}),
    }


def _name(side: dict[str, Any]) -> str:
    return f"{side['target']}" + (f" ({side['label']})" if side["label"] else "")


def to_markdown(report: dict[str, Any]) -> str:
    left, right = _name(report["left"]), _name(report["right"])
    lines = [
        "# mockscim contract divergence report",
        "",
        f"- left: **{left}**, {report['left']['steps']} steps",
        f"- right: **{right}**, {report['right']['steps']} steps",
        f"- steps that differ: **{len(report['differing_steps'])}**",
        "",
    ]
    if not report["differences"]:
        lines.append(
            "No differences: every step answered alike (status, error type, fields, shape)."
        )
        return "\n".join(lines) + "\n"
    lines += ["| step | what | left | right |", "|---|---|---|---|"]
    for d in report["differences"]:
        kind = d["kind"]
        if kind == "fields":
            lines.append(
                f"| `{d['step']}` | fields | only here: {', '.join(d['left_only']) or '-'} "
                f"| only here: {', '.join(d['right_only']) or '-'} |"
            )
        elif kind == "shape":
            for s in d["differences"]:
                lines.append(
                    f"| `{d['step']}` | shape `{s['path']}` | {s['left']} | {s['right']} |"
                )
        else:
            lines.append(f"| `{d['step']}` | {kind} | {d['left']} | {d['right']} |")
    return "\n".join(lines) + "\n"


def write_report(
    left_path: str | Path, right_path: str | Path, out_dir: str | Path
) -> dict[str, Any]:
    report = diff(Results.load(left_path), Results.load(right_path))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    (out / "divergence.json").write_text(json.dumps(report, indent=2) + "\n")
    (out / "divergence.md").write_text(to_markdown(report))
    return report
