"""`python -m belowline` runs the command line."""

from belowline.cli import main

main()
