-- Tracing closes the loop (issue 18): a request's blocking keys are kept, keyed like a person's
-- (HMAC with the operation's key, no name in SQL), so every new or corrected registration can
-- find the open requests it may answer with one index lookup, and two requests can find each
-- other (a relative looking for the one who is looking for them). `side` says whose name the key
-- is of: the person sought, or the enquirer.
create table tracing_request_keys (
  operation_id text not null,
  request_id   text not null,
  side         text not null check (side in ('sought', 'enquirer')),
  kind         text not null,
  key_hash     bytea not null,
  primary key (operation_id, side, kind, key_hash, request_id),
  foreign key (operation_id, request_id) references tracing_requests (operation_id, id)
);
create index tracing_request_keys_request on tracing_request_keys (operation_id, request_id);

-- Something new for the tracing desk on this request since an officer last opened it: a candidate
-- proposed by a later registration, a candidate checked in somewhere, another request that matches.
alter table tracing_requests add column attention_at timestamptz;
create index tracing_requests_attention on tracing_requests (operation_id, attention_at) where attention_at is not null;

-- Two requests that may be two relatives looking for each other, with how strongly (the matcher's
-- calibrated probability) and which way the names agree.
create table tracing_links (
  operation_id     text not null,
  request_id       text not null,
  other_request_id text not null,
  direction        text not null check (direction in ('mutual', 'their_enquirer_is_sought', 'they_seek_our_enquirer')),
  probability      double precision not null,
  proposed_at      timestamptz not null,
  primary key (operation_id, request_id, other_request_id),
  foreign key (operation_id, request_id) references tracing_requests (operation_id, id),
  foreign key (operation_id, other_request_id) references tracing_requests (operation_id, id)
);
