from coordinator_app.cli.commands import main

raise SystemExit(main())
