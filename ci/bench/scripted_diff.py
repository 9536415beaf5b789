#!/usr/bin/env python3
"""The scripted peer of `optionsctl diff BASE HEAD` (peers.md §5.3, case c2).

What a team would script without optionsctl: pygit2 to read both revisions, PyYAML (libyaml) to load the
values files of the namespaces the change touches (or of all of them with --all), a shallow merge of `default`
and each target, schema defaults from each side's schema.json, and one line per effective value that differs.

    scripted_diff.py --repo CORPUS BASE HEAD [--all]
"""

import argparse
import json
import sys

import pygit2
import yaml


def tree_at(repo, revision):
    return repo.revparse_single(revision).peel(pygit2.Commit).tree


def namespace_side(repo, tree, namespace):
    """(schema defaults, {target: merged options}) of one namespace at one revision."""
    defaults = {}
    try:
        schema = json.loads(repo[tree["schemas/%s/schema.json" % namespace].id].data)
        defaults = {key: spec.get("default") for key, spec in schema.get("properties", {}).items()}
    except KeyError:
        pass
    layers = {}
    try:
        namespace_tree = repo[tree["option-values/" + namespace].id]
    except KeyError:
        return defaults, layers
    for target_entry in namespace_tree:
        merged = {}
        for file_entry in repo[target_entry.id]:
            if file_entry.name.endswith(".yaml"):
                document = yaml.load(repo[file_entry.id].data, Loader=yaml.CSafeLoader) or {}
                merged.update(document.get("options") or {})
        layers[target_entry.name] = merged
    return defaults, layers


def effective(defaults, layers, target):
    values = dict(defaults)
    values.update(layers.get("default", {}))
    if target != "default":
        values.update(layers.get(target, {}))
    return values


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", required=True)
    parser.add_argument("base")
    parser.add_argument("head")
    parser.add_argument("--all", action="store_true")
    args = parser.parse_args()

    repo = pygit2.Repository(args.repo)
    base, head = tree_at(repo, args.base), tree_at(repo, args.head)
    if args.all:
        namespaces = {entry.name for entry in repo[head["option-values"].id]}
        namespaces |= {entry.name for entry in repo[base["option-values"].id]}
    else:
        namespaces = set()
        for delta in repo.diff(base, head).deltas:
            for path in (delta.old_file.path, delta.new_file.path):
                parts = path.split("/")
                if len(parts) > 2 and parts[0] in ("schemas", "option-values"):
                    namespaces.add(parts[1])
    changes = 0
    for namespace in sorted(namespaces):
        old_defaults, old_layers = namespace_side(repo, base, namespace)
        new_defaults, new_layers = namespace_side(repo, head, namespace)
        for target in sorted(set(old_layers) | set(new_layers)):
            before = effective(old_defaults, old_layers, target)
            after = effective(new_defaults, new_layers, target)
            for key in sorted(set(before) | set(after)):
                if before.get(key) != after.get(key):
                    print(f"{target} {namespace} {key}: {before.get(key)!r} -> {after.get(key)!r}")
                    changes += 1
    print(f"{changes} value changes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
