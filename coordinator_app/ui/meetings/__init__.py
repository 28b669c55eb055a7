"""Netværksmøder: the Møder tab, scheduling, the live meeting, the referat, the meeting template editor.

The live meeting (``live_meeting.open_live_meeting``) is the window in ``live_meeting`` (autosave, conflicts,
ending the meeting) with its parts beside it: ``live_header`` (how it opens; the lines above the sections),
``live_sections`` (the navigator and the section pages), the section editors ``participants_editor``,
``agreements_editor`` (both list-and-form editors, ``ui.common.list_form``) and ``roles_follow_up``, what they
share in ``live_common``, and ``live_messages`` (the message boxes and the merge after a conflict).

The template editor (``meeting_template_editor.open_template_editor``) is the dialog and its list of sections;
``template_section_form`` edits the selected section and ``template_draft`` holds the sections being edited.
"""
