-- A movement window gets an Arabic note beside its (English) note (issue 20 re-walk): the
-- ceasefire's terms read in the user's language; a window with one note only shows that one.
alter table movement_windows add column note_ar text;
