-- A "found" is a proposal until a tracing officer confirms it: the case waits in found_pending,
-- naming the person, and nothing is disclosed to the enquirer before the confirmation sets it to
-- found (consent to disclosure) or found_no_contact. "Not this person" sends it back to open.
alter table tracing_requests drop constraint tracing_requests_status_check;
alter table tracing_requests add constraint tracing_requests_status_check
  check (status in ('open', 'found_pending', 'found', 'found_no_contact', 'reunited', 'not_found', 'consent_refused', 'closed'));
