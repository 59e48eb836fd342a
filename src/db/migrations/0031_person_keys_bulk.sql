-- Bulk import (issue 15): person_keys loses its foreign key to persons. A person's keys are
-- written in the same transaction as the person, and persons are never deleted (shredding
-- empties them), so the key adds no safety; but its check ran once per key row (a dozen per
-- person) through a plan cached while persons was small: a sequential scan of persons per row,
-- which made each chunk of a large import slower than the one before (measured on PostgreSQL:
-- 0.2 s then 1.4 s for the same 1,700 key rows after 1,500 people). Every query reading
-- person_keys joins persons, so a key left without its person would find nobody.
alter table person_keys drop constraint if exists person_keys_operation_id_person_id_fkey;
