"""Validate a JSON document against a JSON schema, for sodkit's tests.

Usage: python3 validate_schema.py SCHEMA.json DOCUMENT.json...

Exit status: 0 all valid, 1 some invalid (errors printed, each prefixed
with its document's path), 3 the validator is
missing (jsonschema or regex cannot be imported). OSCAL's patterns use
Unicode classes such as \\p{L}, which Python's re module lacks, so patterns
are matched with the regex module instead.
"""
import json
import sys

try:
    import jsonschema
    import regex
    from jsonschema import validators
    from jsonschema.exceptions import best_match
except ImportError as e:  # pragma: no cover
    print(f"validator unavailable: {e}", file=sys.stderr)
    sys.exit(3)


def pattern(validator, patrn, instance, schema):
    if validator.is_type(instance, "string") and not regex.search(patrn, instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {patrn!r}")


def pattern_properties(validator, pattern_props, instance, schema):
    if not validator.is_type(instance, "object"):
        return
    for patrn, subschema in pattern_props.items():
        for k, v in instance.items():
            if regex.search(patrn, k):
                yield from validator.descend(v, subschema, path=k, schema_path=patrn)


def main():
    schema_path, doc_paths = sys.argv[1], sys.argv[2:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    base = validators.validator_for(schema)
    cls = validators.extend(base, {"pattern": pattern, "patternProperties": pattern_properties})
    v = cls(schema, format_checker=base.FORMAT_CHECKER)
    status = 0
    for doc_path in doc_paths:
        with open(doc_path, encoding="utf-8") as f:
            doc = json.load(f)
        errors = sorted(v.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path])
        for e in errors[:50]:
            if e.context:  # a oneOf/anyOf failure: show the closest branch's error
                e = best_match(e.context)
            where = "/".join(str(p) for p in e.absolute_path) or "(document)"
            print(f"{doc_path}: {where}: {e.message[:300]}")
        if errors:
            print(f"{doc_path}: {len(errors)} schema error(s)")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
