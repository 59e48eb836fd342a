-- Reconciliation of one convoy reads every manifest entry of the households riding on it (to
-- tell a split within the convoy from one across convoys): by household, not by scanning.
create index manifest_entries_household on manifest_entries (operation_id, household_id);
