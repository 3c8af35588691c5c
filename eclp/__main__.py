from eclp.cli import main

main()
