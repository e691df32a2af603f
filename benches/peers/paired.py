#!/usr/bin/env python3
"""Times commands in rounds and prints the medians of their ratios.

Each round runs every command once, in an order that rotates from round to
round, and a ratio of two commands is taken within each round; the table
gives each command's median wall time and, for each ratio asked for, its
median over the rounds. On a machine whose speed drifts, as a shared
virtual machine's does, the ratio of two runs made side by side holds
where the ratio of two means, each taken over a minute or more, does not.

    paired.py ROUNDS NAME=COMMAND ... [--ratio NUMERATOR/DENOMINATOR] ...

A command is split as a shell would split it, and run without a shell,
its output thrown away; a command that fails stops the timing.
"""

import shlex
import statistics
import subprocess
import sys
import time


def main(argv):
    if len(argv) < 2 or not argv[0].isdigit():
        sys.exit(__doc__)
    rounds = int(argv[0])
    commands, ratios = {}, []
    rest = iter(argv[1:])
    for arg in rest:
        if arg == "--ratio":
            numerator, _, denominator = next(rest).partition("/")
            ratios.append((numerator, denominator))
        else:
            name, _, command = arg.partition("=")
            commands[name] = shlex.split(command)
    for pair in ratios:
        for name in pair:
            if name not in commands:
                sys.exit(f"paired.py: --ratio names {name!r}, which is not a command")
    names = list(commands)
    seconds = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            start = time.perf_counter()
            subprocess.run(commands[name], check=True, stdout=subprocess.DEVNULL)
            seconds[name].append(time.perf_counter() - start)
    print(f"\n{rounds} rounds, each command once a round, in rotating order\n")
    print("| command | median wall s | min | max |")
    print("|---|---|---|---|")
    for name in names:
        times = seconds[name]
        print(f"| {name} | {statistics.median(times):.3f} | {min(times):.3f} | {max(times):.3f} |")
    print("\n| ratio, within each round | median | min | max |")
    print("|---|---|---|---|")
    for numerator, denominator in ratios:
        each = [n / d for n, d in zip(seconds[numerator], seconds[denominator])]
        print(
            f"| {numerator} ÷ {denominator} | {statistics.median(each):.2f} "
            f"| {min(each):.2f} | {max(each):.2f} |"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
