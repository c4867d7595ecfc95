# Runs program.py (solution, setup, asserts) and prints the nonce only if it ran to the end, so a program
# that exits early with status 0 (sys.exit(0), os._exit(0)) before its asserts does not count as a pass.
import runpy
import sys

nonce = sys.stdin.readline().strip()
runpy.run_path("program.py", run_name="__main__")
sys.stdout.flush()
sys.stdout.write("\n" + nonce + "\n")
sys.stdout.flush()
