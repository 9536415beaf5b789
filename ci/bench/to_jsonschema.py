#!/usr/bin/env python3
"""Convert sentry-options namespace schemas to draft 2020-12 JSON Schemas.

For every `SCHEMAS/<ns>/schema.json` this writes `OUT/<ns>.json`: a JSON Schema
for one values file of that namespace (`{"options": {...}}`), which is what
check-jsonschema is given (`--schemafile OUT/<ns>.json`).

Semantics follow sentry-options' own loader (reference §2.2, §2.7, §2.8):
  * the file must be a mapping with exactly one key, `options`, itself a mapping;
  * unknown option keys are rejected (`additionalProperties: false`). Note that
    sentry-options only *warns* on unknown keys; a JSON-Schema user would
    normally close the schema like this, and peers.md §5.4 measured it so;
  * every `type: object` node with `properties` gets `required` = the fields not
    marked `"optional": true`, and `additionalProperties: false` unless it
    declares `additionalProperties` itself; applied recursively to `items`,
    `properties` and `additionalProperties`;
  * `optional` is dropped (it is not a JSON Schema keyword); `default` and
    `description` are kept as annotations, as sentry-options does;
  * `feature.*` keys (`$ref: #/definitions/Feature`) are accepted without
    checking (the feature-flag definitions are not part of this converter);
    a warning is printed for each namespace that has them.

Python 3 standard library only. Output is deterministic.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def convert_type(node: dict) -> dict:
    out: dict = {}
    for key, val in node.items():
        if key == "optional":
            continue
        if key == "items":
            out["items"] = convert_type(val)
        elif key == "properties":
            out["properties"] = {name: convert_type(sub) for name, sub in val.items()}
        elif key == "additionalProperties" and isinstance(val, dict):
            out["additionalProperties"] = convert_type(val)
        else:
            out[key] = val
    if node.get("type") == "object":
        props = node.get("properties")
        if props is not None:
            out["required"] = [n for n, sub in props.items() if sub.get("optional") is not True]
        if "additionalProperties" not in node:
            out["additionalProperties"] = False
    return out


def convert_namespace(ns: str, schema: dict) -> tuple[dict, bool]:
    options = {}
    has_features = False
    for key, spec in schema.get("properties", {}).items():
        if key.startswith("feature."):
            has_features = True
            options[key] = {}
            continue
        options[key] = convert_type(spec)
    doc = {
        "$schema": DRAFT,
        "$id": f"https://optionsctl.invalid/bench/{ns}.json",
        "title": f"sentry-options values file for namespace {ns}",
        "type": "object",
        "required": ["options"],
        "additionalProperties": False,
        "properties": {
            "options": {
                "type": "object",
                "additionalProperties": False,
                "properties": options,
            }
        },
    }
    return doc, has_features


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--corpus", type=Path, help="corpus root (reads CORPUS/schemas)")
    src.add_argument("--schemas", type=Path, help="schemas directory (<ns>/schema.json)")
    ap.add_argument("--out", type=Path, required=True, help="output directory (one <ns>.json each)")
    ap.add_argument("--indent", type=int, default=None, help="pretty-print with this indent")
    args = ap.parse_args(argv)

    schemas_dir = args.schemas if args.schemas else args.corpus / "schemas"
    if not schemas_dir.is_dir():
        print(f"to_jsonschema: no schemas directory at {schemas_dir}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    count = 0
    for ns_dir in sorted(p for p in schemas_dir.iterdir() if p.is_dir()):
        path = ns_dir / "schema.json"
        try:
            schema = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            print(f"to_jsonschema: {path}: {e}", file=sys.stderr)
            return 1
        doc, has_features = convert_namespace(ns_dir.name, schema)
        if has_features:
            print(f"to_jsonschema: warning: {ns_dir.name}: feature.* keys are not checked",
                  file=sys.stderr)
        text = json.dumps(doc, indent=args.indent, sort_keys=False)
        (args.out / f"{ns_dir.name}.json").write_text(text + "\n", encoding="utf-8")
        count += 1
    print(f"to_jsonschema: wrote {count} schemas to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
