#!/usr/bin/env python3
"""Generate a deterministic sentry-options style corpus for benchmarks.

Layout written under --out DIR:

    schemas/<ns>/schema.json                 sentry-options namespace schema
    option-values/<ns>/<target>/values.yaml  one `options:` mapping per file
    corpus.json                              stats, first namespace, planted
                                             errors (never committed)

Same arguments -> byte-identical files (and, with --commits, identical git
commit ids). Python 3 standard library only.

Mix (peers.md §5.2, /work/shared/reference): option types ~25 % string, 25 % integer,
12 % number, 22 % boolean, 10 % array of string, 6 % struct (2-4 typed
fields, the last one sometimes optional). `default` sets ~40 % of the
options, every other target overrides ~8 %; a namespace has `default` plus
each other target of the pool with probability 0.8.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

PRESETS = {
    # namespaces, options per namespace, target pool (including `default`)
    "small": (5, 50, 3),
    "medium": (50, 200, 6),
    "large": (300, 500, 10),
}

TARGET_POOL = ["default", "us", "de", "s4s", "eu2", "us2", "control", "ly", "st-acme", "canary"]

TYPE_WEIGHTS = [
    ("string", 25),
    ("integer", 25),
    ("number", 12),
    ("boolean", 22),
    ("array", 10),
    ("struct", 6),
]

DEFAULT_SET_P = 0.40
OVERRIDE_P = 0.08
TARGET_PRESENT_P = 0.8
LINE_LIMIT = 80  # yamllint's default line-length

# --- namespace names --------------------------------------------------------

SERVICES = [
    "arroyo", "attachments", "autofix", "billing", "celery", "crons", "discover",
    "dynamic-sampling", "events", "feedback", "getsentry", "grouping",
    "hybrid-cloud", "ingest", "issues", "metrics", "notifications",
    "performance", "profiling", "relay", "replays", "search", "seer", "snuba",
    "spans", "symbolicator", "taskworker", "uptime", "vroom", "workflow-engine",
]
COMPONENTS = [
    "alerts", "api", "backfill", "cache", "cleanup", "consumer", "digests",
    "export", "indexer", "monitors", "outbox", "processing", "producer",
    "quotas", "rate-limits", "retention", "rollout", "sampling", "scheduler",
    "storage", "sync", "tasks", "webhooks", "writer",
]

# --- option keys ------------------------------------------------------------

AREAS = [
    "ingest", "consumer", "producer", "api", "cache", "store", "query",
    "flush", "retry", "sampling", "quota", "rollout", "alerts", "tasks",
    "search", "export", "cleanup", "spans", "outcomes", "kafka", "redis",
    "db", "http", "grpc", "auth", "events", "digest", "symbols", "upload",
    "relay",
]
QUALIFIERS = [
    "read", "write", "commit", "poll", "batch", "queue", "worker", "shard",
    "backfill", "replay", "fetch", "merge", "scanner", "indexer", "lock",
    "push", "rebalance", "partition", "realtime", "scheduler", "upstream",
    "downstream", "fallback", "snapshot",
]
NOUNS = {
    "integer": [
        "batch-size", "max-retries", "timeout-ms", "interval-ms", "max-bytes",
        "queue-depth", "max-conns", "workers", "chunk-size", "ttl-secs",
        "page-size", "max-items", "threshold", "limit", "window-secs", "shards",
    ],
    "number": [
        "sample-rate", "ratio", "backoff", "jitter", "error-rate", "weight",
        "factor", "rollout", "decay", "headroom",
    ],
    "boolean": [
        "enabled", "dry-run", "strict", "use-cache", "verbose", "killswitch",
        "compress", "shadow", "async", "legacy",
    ],
    "string": [
        "mode", "region", "topic", "url", "schedule", "version", "backend",
        "policy", "cluster", "window", "codec", "owner",
    ],
    "array": [
        "allowlist", "denylist", "topics", "hosts", "org-slugs", "projects",
        "regions", "features",
    ],
    "struct": [
        "config", "settings", "limits", "retry-policy", "endpoint", "budget",
    ],
}

# --- values -----------------------------------------------------------------

# Strings: always written double-quoted. Includes YAML 1.1 traps ("NO", "on",
# "12:30", "1.10", "~", "null") that must stay strings.
STRING_VALUES = {
    "mode": ["fast", "strict", "lenient", "off", "on", "auto", "shadow", "NO", "yes", "passthrough"],
    "region": ["us", "de", "NO", "eu-west-1", "us-east-1", "s4s", "ly", "no", "FR"],
    "topic": ["ingest-events", "snuba-spans", "outcomes", "events-subscriptions", "profiles", "n"],
    "url": ["http://snuba-api:1218", "https://relay.internal:3000", "http://127.0.0.1:8080", "redis://cache:6379/0"],
    "schedule": ["*/5 * * * *", "0 * * * *", "12:30", "03:00", "@hourly", "off"],
    "version": ["1.10", "2.0", "0.9.1", "1.2.17", "v3", "1e3"],
    "backend": ["redis", "postgres", "bigtable", "memory", "null", "~"],
    "policy": ["drop", "retry", "dead-letter", "Y", "on", "OFF"],
    "cluster": ["default", "spans", "events-large", "s4s-1", "eu2-a"],
    "window": ["1h", "24h", "7d", "30m", "0x1F"],
    "codec": ["zstd", "gzip", "lz4", "none", "true"],
    "owner": ["team-ingest", "team-issues", "team-sdk", "team-ops", ""],
}
ARRAY_STRINGS = {
    "allowlist": ["sentry", "acme-corp", "NO", "on", "getsentry", "org-1", "org-42", "umbrella-corp"],
    "denylist": ["spammer-org", "abuse-report-1", "yes", "bad-actor-inc", "off", "scraper-bot"],
    "topics": ["ingest-events", "ingest-transactions", "snuba-spans", "outcomes-billing",
               "profiles-call-tree", "ingest-replay-recordings"],
    "hosts": ["relay-1.us-east-1.internal", "relay-2.us-east-1.internal", "10.0.0.12",
              "snuba-api.default.svc", "symbolicator.internal"],
    "org-slugs": ["sentry", "acme", "initech", "globex", "umbrella", "NO", "wayne-enterprises"],
    "projects": ["1", "42", "1337", "4501", "sentry-python", "frontend-web", "backend-api"],
    "regions": ["us", "de", "NO", "eu2", "s4s", "ly", "us-east-1", "europe-west3"],
    "features": ["organizations:foo-bar", "projects:span-metrics", "on", "n",
                 "organizations:performance-view", "projects:alert-filters"],
}
INT_RANGES = {
    "batch-size": (1, 10000), "max-retries": (0, 10), "timeout-ms": (50, 60000),
    "interval-ms": (10, 30000), "max-bytes": (1024, 104857600), "queue-depth": (1, 50000),
    "max-conns": (1, 512), "workers": (1, 64), "chunk-size": (16, 65536),
    "ttl-secs": (0, 604800), "page-size": (10, 1000), "max-items": (1, 100000),
    "threshold": (-100, 1000), "limit": (0, 1000000), "window-secs": (1, 86400),
    "shards": (1, 256),
}
FLOAT_CHOICES = [
    0.0, 0.001, 0.01, 0.05, 0.1, 0.125, 0.2, 0.25, 0.3, 0.5, 0.75, 0.9, 0.95,
    0.99, 1.0, 1.5, 2.0, 2.5, 10.0, 0.333, 12.75,
]
UNIT_FLOAT_NOUNS = {"sample-rate", "ratio", "error-rate", "rollout", "decay"}
UNIT_FLOAT_CHOICES = [x for x in FLOAT_CHOICES if x <= 1.0]
STRUCT_FIELDS = [
    ("host", "string"), ("port", "integer"), ("timeout_ms", "integer"),
    ("ratio", "number"), ("enabled", "boolean"), ("region", "string"),
    ("max_retries", "integer"), ("backoff_secs", "number"), ("topic", "string"),
    ("strict", "boolean"), ("limit", "integer"), ("label", "string"),
]
FIELD_INT_RANGES = {"port": (1024, 65535), "timeout_ms": (50, 60000),
                    "max_retries": (0, 10), "limit": (0, 100000)}
FIELD_STRINGS = ["relay.internal", "us", "NO", "on", "snuba-api", "ingest-events", "primary", "12:30"]

DESC_VERBS = {
    "integer": "Upper bound for",
    "number": "Fraction applied to",
    "boolean": "Toggles",
    "string": "Selects the",
    "array": "Entries allowed for",
    "struct": "Settings for",
}
DESC_TAILS = [
    "", "", "", "",
    " Takes effect on the next refresh.",
    " Overridden per region.",
    " See the runbook first.",
]


def weighted_choice(rng: random.Random, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for item, w in pairs:
        x -= w
        if x < 0:
            return item
    return pairs[-1][0]


def namespace_names(rng: random.Random, count: int):
    combos = [f"{s}-{c}" for s in SERVICES for c in COMPONENTS]
    rng.shuffle(combos)
    names = sorted(combos[:count])
    for n in names:
        assert len(n) <= 48 and n == n.lower(), n
    return names


def make_key(rng: random.Random, kind: str, used: set) -> str:
    nouns = NOUNS[kind]
    for attempt in range(1000):
        area = rng.choice(AREAS)
        noun = rng.choice(nouns)
        qual = rng.choice(QUALIFIERS)
        if noun.startswith(qual):
            continue
        r = rng.random()
        if attempt > 20 or r < 0.55:
            key = f"{area}.{qual}-{noun}"
        elif attempt > 40 or r < 0.85:
            key = f"{area}.{qual}.{noun}"
        else:
            key = f"{area}.{noun}"
        if attempt > 200:
            key = f"{key}-{attempt}"
        if key not in used:
            used.add(key)
            return key
    raise RuntimeError("could not generate a unique option key")


class Option:
    __slots__ = ("key", "kind", "noun", "fields", "default", "description")

    def __init__(self, key, kind, noun, fields):
        self.key = key
        self.kind = kind  # string integer number boolean array struct
        self.noun = noun
        self.fields = fields  # struct: list of (name, type, optional)
        self.default = None
        self.description = ""

    def schema(self):
        d = {}
        if self.kind == "struct":
            d["type"] = "object"
            props = {}
            for name, ftype, optional in self.fields:
                fd = {"type": ftype}
                if optional:
                    fd["optional"] = True
                props[name] = fd
            d["properties"] = props
        elif self.kind == "array":
            d["type"] = "array"
            d["items"] = {"type": "string"}
        else:
            d["type"] = self.kind
        d["default"] = self.default
        d["description"] = self.description
        return d


def scalar_value(rng: random.Random, ftype: str, noun: str | None = None):
    if ftype == "string":
        pool = STRING_VALUES.get(noun) if noun else None
        return rng.choice(pool if pool else FIELD_STRINGS)
    if ftype == "integer":
        lo, hi = INT_RANGES.get(noun) or FIELD_INT_RANGES.get(noun) or (0, 5000)
        r = rng.random()
        if r < 0.5:
            # round numbers are what people write
            v = rng.randint(lo, hi)
            mag = 10 ** max(0, len(str(abs(v))) - 2)
            return max(lo, min(hi, (v // mag) * mag))
        return rng.randint(lo, hi)
    if ftype == "number":
        if noun in UNIT_FLOAT_NOUNS:
            return rng.choice(UNIT_FLOAT_CHOICES)
        return rng.choice(FLOAT_CHOICES)
    if ftype == "boolean":
        return rng.random() < 0.5
    raise ValueError(ftype)


def option_value(rng: random.Random, opt: Option, for_default=False):
    k = opt.kind
    if k in ("string", "integer", "number", "boolean"):
        return scalar_value(rng, k, opt.noun)
    if k == "array":
        pool = ARRAY_STRINGS[opt.noun]
        n = 0 if (for_default and rng.random() < 0.5) else rng.choice([0, 1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7])
        return rng.sample(pool, min(n, len(pool)))
    if k == "struct":
        v = {}
        for name, ftype, optional in opt.fields:
            if optional and rng.random() < 0.4:
                continue
            v[name] = scalar_value(rng, ftype, name)
        return v
    raise ValueError(k)


def make_option(rng: random.Random, kind: str, used: set, ns: str) -> Option:
    key = make_key(rng, kind, used)
    noun = next(n for n in NOUNS[kind] if key.endswith(n))
    fields = None
    if kind == "struct":
        nf = rng.randint(2, 4)
        picks = rng.sample(STRUCT_FIELDS, nf)
        fields = [(name, ftype, False) for name, ftype in picks]
        if rng.random() < 0.35:
            name, ftype, _ = fields[-1]
            fields[-1] = (name, ftype, True)
    opt = Option(key, kind, noun, fields)
    opt.default = option_value(rng, opt, for_default=True)
    what = key.split(".", 1)[1].replace(".", " ").replace("-", " ")
    opt.description = f"{DESC_VERBS[kind]} {what}.{rng.choice(DESC_TAILS)}"
    return opt


# --- rendering --------------------------------------------------------------


def yaml_scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        s = repr(v)
        assert "e" not in s and "." in s, s
        return s
    if isinstance(v, str):
        return json.dumps(v)  # ASCII, double-quoted, valid YAML escapes
    raise TypeError(type(v))


def render_entry(key: str, v) -> list[str]:
    if isinstance(v, list):
        if not v:
            return [f"  {key}: []"]
        return [f"  {key}:"] + [f"    - {yaml_scalar(x)}" for x in v]
    if isinstance(v, dict):
        if not v:
            return [f"  {key}: {{}}"]
        return [f"  {key}:"] + [f"    {fk}: {yaml_scalar(fv)}" for fk, fv in v.items()]
    return [f"  {key}: {yaml_scalar(v)}"]


def render_values(order: dict, entries: dict) -> tuple[str, dict]:
    """Render entries in schema order. Returns text and key -> line number."""
    if not entries:
        return "options: {}\n", {}
    lines = ["options:"]
    where = {}
    for key in sorted(entries):  # schema order: options are sorted by key
        where[key] = len(lines) + 1
        lines.extend(render_entry(key, entries[key]))
    return "\n".join(lines) + "\n", where


def entry_fits(key: str, v) -> bool:
    return all(len(line) <= LINE_LIMIT for line in render_entry(key, v))


# --- corpus -----------------------------------------------------------------


class Corpus:
    def __init__(self, size: str, seed: int):
        self.size = size
        self.seed = seed
        n_ns, n_opts, n_targets = PRESETS[size]
        self.pool = TARGET_POOL[:n_targets]
        rng = random.Random(f"{seed}:{size}:namespaces")
        self.namespaces = namespace_names(rng, n_ns)
        self.options: dict[str, list[Option]] = {}
        self.order: dict[str, dict] = {}
        # values[(ns, target)] = {key: value}
        self.values: dict[tuple, dict] = {}
        for i, ns in enumerate(self.namespaces):
            r = random.Random(f"{seed}:{size}:ns:{i}:{ns}")
            used: set = set()
            opts = []
            for _ in range(n_opts):
                kind = weighted_choice(r, TYPE_WEIGHTS)
                opt = make_option(r, kind, used, ns)
                while not entry_fits(opt.key, opt.default):
                    opt.default = option_value(r, opt, for_default=True)
                opts.append(opt)
            opts.sort(key=lambda o: o.key)
            self.options[ns] = opts
            self.order[ns] = {o.key: (j, o.key) for j, o in enumerate(opts)}
            targets = ["default"] + [t for t in self.pool[1:] if r.random() < TARGET_PRESENT_P]
            for t in targets:
                p = DEFAULT_SET_P if t == "default" else OVERRIDE_P
                entries = {}
                for o in opts:
                    if r.random() < p:
                        entries[o.key] = self.fitting_value(r, o)
                self.values[(ns, t)] = entries
        self.errors: list[dict] = []
        self.protected: set = set()

    def fitting_value(self, r: random.Random, o: Option):
        for _ in range(50):
            v = option_value(r, o)
            if entry_fits(o.key, v):
                return v
        return o.default

    def option(self, ns: str, key: str) -> Option | None:
        for o in self.options[ns]:
            if o.key == key:
                return o
        return None

    def values_path(self, ns, t) -> str:
        return f"option-values/{ns}/{t}/values.yaml"

    def files(self):
        return sorted(self.values)

    # --- writing

    def write_tree(self, out: Path):
        for ns in self.namespaces:
            d = out / "schemas" / ns
            d.mkdir(parents=True, exist_ok=True)
            schema = {
                "version": "1.0",
                "type": "object",
                "properties": {o.key: o.schema() for o in self.options[ns]},
            }
            (d / "schema.json").write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
        for (ns, t) in self.files():
            self.write_values(out, ns, t)

    def write_values(self, out: Path, ns: str, t: str):
        p = out / self.values_path(ns, t)
        p.parent.mkdir(parents=True, exist_ok=True)
        text, _ = render_values(self.order[ns], self.values[(ns, t)])
        p.write_text(text, encoding="utf-8")

    # --- planted errors

    def inject_errors(self, k: int):
        r = random.Random(f"{self.seed}:{self.size}:errors:{k}")
        files = self.files()
        kinds = ["type-mismatch", "unknown-key", "type-mismatch", "struct-missing-field"]
        used_files = set()
        for i in range(k):
            kind = kinds[i % len(kinds)]
            for _ in range(1000):
                ns, t = r.choice(files)
                if (ns, t) in used_files and len(used_files) < len(files):
                    continue
                entries = self.values[(ns, t)]
                opts = self.options[ns]
                if kind == "struct-missing-field":
                    cands = [o for o in opts if o.kind == "struct"
                             and any(not f[2] for f in o.fields)]
                    if not cands:
                        kind = "type-mismatch"
                        continue
                    o = r.choice(cands)
                    required = [f[0] for f in o.fields if not f[2]]
                    missing = required[r.randrange(len(required))]
                    v = {fk: fv for fk, fv in option_value(r, o).items() if fk != missing}
                    for fname, ftype, opt_ in o.fields:
                        if fname not in v and fname != missing and not opt_:
                            v[fname] = scalar_value(r, ftype, fname)
                    entries[o.key] = v
                    detail = {"missing_field": missing}
                    key = o.key
                elif kind == "type-mismatch":
                    o = r.choice([o for o in opts if o.kind in ("string", "integer", "number", "boolean")])
                    bad = {
                        "integer": r.choice(["lots", 2.5, True]),
                        "number": r.choice(["high", False]),
                        "boolean": r.choice(["true", "NO", 1]),
                        "string": r.choice([5, 0.5, False]),
                    }[o.kind]
                    entries[o.key] = bad
                    detail = {"expected_type": o.kind, "value": bad}
                    key = o.key
                else:  # unknown-key: near miss of a real option not set in this file
                    keys = {o.key for o in opts}
                    o = r.choice([o for o in opts if o.key not in entries])
                    typo = make_typo(r, o.key, keys)
                    if typo is None or typo in entries:
                        continue
                    entries[typo] = self.fitting_value(r, o)
                    detail = {"did_you_mean": o.key}
                    key = typo
                used_files.add((ns, t))
                self.protected.add((ns, t, key))
                self.errors.append({"kind": kind, "namespace": ns, "target": t,
                                    "file": self.values_path(ns, t), "key": key, **detail})
                break
        # line numbers are filled in at the end (commits may shift lines)

    def finalize_error_lines(self):
        for e in self.errors:
            entries = self.values[(e["namespace"], e["target"])]
            _, where = render_values(self.order[e["namespace"]], entries)
            e["line"] = where.get(e["key"])  # the line of the key
            e["end_line"] = e["line"] + len(render_entry(e["key"], entries[e["key"]])) - 1

    # --- commits

    def mutate(self, r: random.Random, ns: str, t: str) -> list[str]:
        entries = self.values[(ns, t)]
        ops = []
        for _ in range(3):
            op = weighted_choice(r, [("edit", 2), ("drop", 1), ("add", 1)])
            mutable = [k for k in entries if (ns, t, k) not in self.protected and self.option(ns, k)]
            if op in ("edit", "drop") and not mutable:
                op = "add"
            if op == "edit":
                key = r.choice(sorted(mutable))
                o = self.option(ns, key)
                old = entries[key]
                new = old
                for _ in range(20):
                    new = self.fitting_value(r, o)
                    if new != old:
                        break
                entries[key] = new
            elif op == "drop":
                key = r.choice(sorted(mutable))
                del entries[key]
            else:
                absent = [o for o in self.options[ns] if o.key not in entries]
                if not absent:
                    continue
                o = r.choice(absent)
                key = o.key
                entries[key] = self.fitting_value(r, o)
            ops.append(f"{op} {key}")
        return ops

    # --- stats

    def stats(self, out: Path) -> dict:
        types = {k: 0 for k, _ in TYPE_WEIGHTS}
        for opts in self.options.values():
            for o in opts:
                types[o.kind] += 1
        vbytes = vlines = entries = 0
        for (ns, t) in self.files():
            p = out / self.values_path(ns, t)
            data = p.read_bytes()
            vbytes += len(data)
            vlines += data.count(b"\n")
            entries += len(self.values[(ns, t)])
        sbytes = sum((out / "schemas" / ns / "schema.json").stat().st_size for ns in self.namespaces)
        n_ns, n_opts, n_targets = PRESETS[self.size]
        return {
            "size": self.size,
            "seed": self.seed,
            "namespaces": n_ns,
            "options_per_namespace": n_opts,
            "target_pool": self.pool,
            "ns0": self.namespaces[0],
            "ns0_targets": [t for (ns, t) in self.files() if ns == self.namespaces[0]],
            "values_files": len(self.values),
            "value_entries": entries,
            "values_yaml_bytes": vbytes,
            "values_yaml_lines": vlines,
            "schema_files": len(self.namespaces),
            "schemas_json_bytes": sbytes,
            "option_types": types,
        }


def make_typo(r: random.Random, key: str, keys: set) -> str | None:
    head, _, last = key.rpartition(".")
    letters = [i for i, c in enumerate(last) if c.isalpha()]
    for _ in range(20):
        if len(letters) < 3:
            return None
        how = r.choice(["swap", "drop", "double"])
        i = r.choice(letters[1:-1])
        if how == "swap" and i + 1 < len(last) and last[i + 1].isalpha() and last[i] != last[i + 1]:
            new = last[:i] + last[i + 1] + last[i] + last[i + 2:]
        elif how == "drop":
            new = last[:i] + last[i + 1:]
        elif how == "double":
            new = last[:i] + last[i] + last[i:]
        else:
            continue
        cand = f"{head}.{new}" if head else new
        if cand not in keys:
            return cand
    return None


# --- git ----------------------------------------------------------------------

GIT_BASE_EPOCH = 1717200000  # 2024-06-01T00:00:00Z


def git_env(i: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    stamp = f"{GIT_BASE_EPOCH + i * 3600} +0000"
    env.update({
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "optionsctl bench",
        "GIT_AUTHOR_EMAIL": "bench@optionsctl.invalid",
        "GIT_COMMITTER_NAME": "optionsctl bench",
        "GIT_COMMITTER_EMAIL": "bench@optionsctl.invalid",
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
        "TZ": "UTC",
        "LC_ALL": "C",
    })
    return env


GIT_OPTS = ["-c", "commit.gpgsign=false", "-c", "core.autocrlf=false",
            "-c", "init.defaultBranch=main", "-c", "core.hooksPath=/dev/null"]


def git(out: Path, i: int, *args: str):
    subprocess.run(["git", *GIT_OPTS, *args], cwd=out, env=git_env(i), check=True,
                   stdout=subprocess.DEVNULL)


def git_head(out: Path) -> str:
    return subprocess.run(["git", *GIT_OPTS, "rev-parse", "HEAD"], cwd=out, env=git_env(0),
                          check=True, capture_output=True, text=True).stdout.strip()


# --- main ---------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", choices=sorted(PRESETS), required=True)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--commits", type=int, default=0,
                    help="git init DIR and add N deterministic commits after the initial one")
    ap.add_argument("--inject-errors", type=int, default=0, metavar="K",
                    help="plant K known errors (type mismatch, unknown-key typo, "
                         "struct missing field); listed in DIR/corpus.json")
    ap.add_argument("--force", action="store_true", help="remove an existing DIR first")
    args = ap.parse_args(argv)

    out: Path = args.out
    if out.exists():
        if not args.force and any(out.iterdir()):
            print(f"gen_corpus: {out} exists and is not empty (use --force)", file=sys.stderr)
            return 2
        if args.force:
            shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)

    c = Corpus(args.size, args.seed)
    if args.inject_errors:
        c.inject_errors(args.inject_errors)
    c.write_tree(out)

    head = None
    if args.commits > 0:
        git(out, 0, "init", "-q", "-b", "main")
        (out / ".git" / "info").mkdir(parents=True, exist_ok=True)
        (out / ".git" / "info" / "exclude").write_text("/corpus.json\n")
        git(out, 0, "add", "-A")
        git(out, 0, "commit", "-q", "-m", f"bench corpus {args.size} seed {args.seed}")
        r = random.Random(f"{args.seed}:{args.size}:commits")
        files = c.files()
        for i in range(1, args.commits + 1):
            picks = sorted(r.sample(files, 2))
            msg = [f"bench: change {len(picks)} values files ({i}/{args.commits})", ""]
            for ns, t in picks:
                ops = c.mutate(r, ns, t)
                c.write_values(out, ns, t)
                msg.append(f"{ns}/{t}: " + ", ".join(ops))
            git(out, i, "add", "--", *[c.values_path(ns, t) for ns, t in picks])
            git(out, i, "commit", "-q", "--allow-empty", "-m", "\n".join(msg))
        head = git_head(out)

    c.finalize_error_lines()
    stats = c.stats(out)
    stats["commits"] = args.commits
    stats["head"] = head
    stats["errors"] = c.errors
    (out / "corpus.json").write_text(json.dumps(stats, indent=2) + "\n", encoding="utf-8")
    summary = {k: stats[k] for k in ("size", "namespaces", "values_files", "value_entries",
                                       "values_yaml_bytes", "values_yaml_lines",
                                       "schemas_json_bytes", "ns0", "head")}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
