"""Parse command lines with Python's own argparse, as the AWS CLI's parsers
do (parse_known_args, add_help=False), for TestPyParserMatchesArgparse.

stdin: {"options": [{"option", "value", "choices"}], "positionals": [dest],
"lines": [[arg, ...], ...]}. stdout: for each line, {"values": {dest or
option: value}, "extras": [...]} or {"error": true}. A store_true option
given has the value "".
"""
import argparse
import json
import sys

spec = json.load(sys.stdin)
parser = argparse.ArgumentParser(add_help=False, prog="oracle")
for o in spec["options"]:
    if o["value"]:
        parser.add_argument(o["option"], dest=o["option"], choices=o["choices"])
    else:
        parser.add_argument(o["option"], dest=o["option"], action="store_true")
for dest in spec["positionals"]:
    parser.add_argument(dest)
# argparse prints its errors; the oracle only says there was one.
parser.error = lambda message: (_ for _ in ()).throw(SystemExit(2))

results = []
for line in spec["lines"]:
    try:
        ns, extras = parser.parse_known_args(line)
    except (SystemExit, argparse.ArgumentError):
        results.append({"error": True})
        continue
    values = {}
    for k, v in vars(ns).items():
        if v is True:
            values[k] = ""
        elif v is not None and v is not False:
            values[k] = v
    results.append({"values": values, "extras": extras})
json.dump(results, sys.stdout)
