from refs.cli import main

main()
