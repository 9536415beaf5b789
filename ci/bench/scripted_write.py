#!/usr/bin/env python3
"""The scripted peer of `optionsctl write --all-targets --format json` (peers.md §5.3, case c).

What a team would glue together without optionsctl: PyYAML with libyaml to load every values file,
jsonschema-rs to validate each one against its namespace's JSON Schema (made by to_jsonschema.py), a
shallow merge of `default` and each target, and one compact sorted JSON payload per namespace and
target, written to OUT/sentry-options-<ns>-<target>.json.

    scripted_write.py --corpus CORPUS --jsonschema DIR --out OUT

Exits 1 when a file is invalid (nothing is written then), like optionsctl.
"""

import argparse
import datetime
import json
import os
import sys

import jsonschema_rs
import yaml


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--jsonschema", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    values_root = os.path.join(args.corpus, "option-values")
    loader = yaml.CSafeLoader
    payloads = []
    errors = 0
    for namespace in sorted(os.listdir(values_root)):
        with open(os.path.join(args.jsonschema, namespace + ".json"), "rb") as handle:
            validator = jsonschema_rs.validator_for(json.load(handle))
        layers = {}
        namespace_dir = os.path.join(values_root, namespace)
        for target in sorted(os.listdir(namespace_dir)):
            merged = {}
            target_dir = os.path.join(namespace_dir, target)
            for name in sorted(os.listdir(target_dir)):
                if not name.endswith(".yaml"):
                    continue
                path = os.path.join(target_dir, name)
                with open(path, "rb") as handle:
                    document = yaml.load(handle, Loader=loader)
                for error in validator.iter_errors(document):
                    print(f"{path}: {error.message}", file=sys.stderr)
                    errors += 1
                merged.update((document or {}).get("options") or {})
            layers[target] = merged
        base = layers.get("default", {})
        for target, options in layers.items():
            effective = dict(base)
            if target != "default":
                effective.update(options)
            payloads.append((namespace, target, effective))
    if errors:
        print(f"{errors} error(s); nothing written", file=sys.stderr)
        return 1

    generated_at = datetime.datetime.now(datetime.timezone.utc).isoformat()
    os.makedirs(args.out, exist_ok=True)
    for namespace, target, options in payloads:
        text = json.dumps(
            {"generated_at": generated_at, "options": options},
            sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        with open(os.path.join(args.out, f"sentry-options-{namespace}-{target}.json"), "w", encoding="utf-8") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
