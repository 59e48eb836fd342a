-- Routes get an Arabic name beside the (English) name (issue 20): shown in the Arabic interface,
-- editable by an admin; a route without one shows its English name.
alter table routes add column name_ar text;
