# Runs program.py (solution, setup, asserts) and prints the nonce only if it ran to the end, so a program
# that exits early with status 0 (sys.exit(0), os._exit(0)) before its asserts does not count as a pass.
import os
import runpy
import signal
import sys


def cpu_limit(signum, frame):
    # RLIMIT_CPU's soft limit: say so (the sandbox reports it), then stop; the hard limit kills a second later
    sys.stdout.write("\ntwt-sandbox: CPU time limit exceeded\n")
    sys.stdout.flush()
    os._exit(152)


signal.signal(signal.SIGXCPU, cpu_limit)
nonce = sys.stdin.readline().strip()
runpy.run_path("program.py", run_name="__main__")
sys.stdout.flush()
sys.stdout.write("\n" + nonce + "\n")
sys.stdout.flush()
