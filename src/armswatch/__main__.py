from armswatch.cli import run

run()
