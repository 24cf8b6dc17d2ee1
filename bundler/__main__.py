from bundler.cli.main import main

raise SystemExit(main())
