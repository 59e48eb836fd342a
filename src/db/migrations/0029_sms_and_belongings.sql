-- Checkpoint SMS (issue 21). An account may have a phone number, so that an SMS a checkpoint
-- monitor sends through the SMS gateway is recorded as theirs: kept sealed with the system key
-- (`phone_sealed`) and found by a keyed hash (`phone_hash`, HMAC under a key derived from the
-- master key), never in clear. One number belongs to one account.
alter table users add column phone_hash bytea;
alter table users add column phone_sealed bytea;
create unique index users_phone_hash on users (phone_hash) where phone_hash is not null;

-- Each SMS the gateway forwarded, by the gateway's message id: a message sent again (the
-- gateway retries until it gets an answer) is answered with the stored reply and records
-- nothing twice. The sender is kept as its keyed hash; the text and the reply sealed with the
-- operation's key (crypto-shredding covers them).
create table sms_messages (
  operation_id   text not null references operations (id),
  message_key    text not null,
  received_at    timestamptz not null,
  sender_hash    bytea not null,
  user_id        text references users (id),
  outcome        text not null default 'pending'
                 check (outcome in ('pending', 'recorded', 'refused', 'unknown_sender')),
  fact_ids       jsonb not null default '[]',
  text_sealed    bytea,
  reply_sealed   bytea,
  primary key (operation_id, message_key)
);

-- What travels with people (issue 21): a person's wheelchair or stretcher takes seats in the
-- vehicle (src/domain/convoys/capacity.ts `seatsFor`). Each manifest entry keeps the seats it
-- took when it was made, so occupancy is a sum the database can make; what is carried itself is
-- sealed with the person's category and vulnerabilities (`persons.protected`).
alter table manifest_entries add column seats smallint not null default 1 check (seats between 1 and 10);
