"""What the whole suite shares (tests/ is on sys.path, so ``from helpers.ward import admit``):

* ``ward`` – the synthetic ward set up through the services: context, admitted patient, consent, varsling, a held
  netværksmøde, numbered events for ``bulk_load``; the command-line tests' Glostrup ward;
* ``meetings`` and ``plans`` – netværksmøde records and completed plan content, from the domain alone;
* ``databases`` – a database at a migration revision, its revision and tables, its SQLite pragmas;
* ``commands`` – ``koordinator`` run in its own process;
* ``folders`` – a folder no file can be created in (also for root);
* ``sandbox`` and ``profiles`` – the run's temporary home and the Hypothesis profiles (``tests/conftest.py``).
"""
