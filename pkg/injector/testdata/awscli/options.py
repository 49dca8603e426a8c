"""Print the option tables of the parsers the installed AWS CLI (v1) reads
"aws eks get-token" with, as JSON: the main parser (global options and the
command), the eks service parser (the operation) and get-token's parser.

Run it with the Python interpreter of the aws program, from the module root:

    go test ./pkg/injector -run TestAWSOptionTables -update-awscli

(or: "$python" pkg/injector/testdata/awscli/options.py > options.json, where
$python is the interpreter on the first line of the aws script).
"""
import argparse
import json
import sys

import awscli
import botocore
from awscli.argparser import ArgTableArgParser
from awscli.clidriver import create_clidriver


def table(parser):
    options, positionals = [], []
    for action in parser._actions:
        if not action.option_strings:
            positionals.append({"dest": action.dest, "nargs": action.nargs})
            continue
        for name in action.option_strings:
            choices = None
            if action.choices is not None:
                choices = list(action.choices)
            options.append({
                "option": name,
                "action": type(action).__name__,
                "nargs": action.nargs,
                "choices": choices,
            })
    return {
        "allow_abbrev": parser.allow_abbrev,
        "prefix_chars": parser.prefix_chars,
        "fromfile_prefix_chars": parser.fromfile_prefix_chars,
        "options": options,
        "positionals": positionals,
    }


def main():
    driver = create_clidriver()
    commands = driver._get_command_table()
    main_parser = driver._create_parser(commands)
    eks = commands["eks"]
    get_token = eks._get_command_table()["get-token"]
    get_token._subcommand_table = get_token._build_subcommand_table()
    get_token._arg_table = get_token._build_arg_table()
    token_parser = ArgTableArgParser(get_token.arg_table, get_token.subcommand_table)
    out = {
        "awscli": awscli.__version__,
        "botocore": botocore.__version__,
        "python": "%d.%d.%d" % sys.version_info[:3],
        "main": table(main_parser),
        "eks": table(eks._create_parser()),
        "get-token": table(token_parser),
    }
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
