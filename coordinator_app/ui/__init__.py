"""Qt user interface, in feature packages; it calls services only (never storage or documents).

- ``shell``: the application start, the main window that composes the tabs, login, idle lock, help and About;
- ``today``: I dag and Færdigmeldte;
- ``patients``: the patient list and details, admission, consent, notifications, the scenario wizard;
- ``plans``: udskrivningsaftale / koordinationsplan;
- ``meetings``: netværksmøder — schedule, live meeting, referat, template;
- ``contacts``: the Kontaktbog;
- ``statistics``: Statistik and its charts;
- ``settings``: Indstillinger, users, backups;
- ``first_run``: the first-run wizard;
- ``common``: what every feature uses — styles, widgets, labels, the error presenter, printing, the conflict dialog.
"""
