"""The Lua scripts that read and commit the index, one round trip each.

Both start from the same five arguments naming the LSH buckets of a document (its
bands in each live time generation): ``namespace, first generation, last
generation, shards, fields``, where ``shards`` holds a 6-hex-digit shard per band
and ``fields`` a 5-byte field per band (a few blobs rather than dozens of
arguments: packing arguments costs the client more than the script costs Redis).

Both take the same arguments (see :data:`ARGUMENTS`). The read script returns the
document's own record if it is already indexed; when its buckets name no other
document (a story seen for the first time, most documents of a stream) it founds the
document's story at once, in the same round trip; else it returns a digest of what
the buckets hold and the records of the documents they name, most votes first.
Python judges those candidates, then the commit script checks, inside Redis, that
the buckets still hold what the digest says (else it answers ``retry`` and the
caller reads again), so two workers adding copies of one story at the same instant
cannot both found a story. It then merges the stories the document matched, picks
the canonical version and writes the document's bands.

A document's record lives under ``:d:`` and its raw 8-byte id (no hex to convert in
Lua). Keys are built from the namespace inside the scripts, which a single Redis (not a
cluster) allows.
"""

from __future__ import annotations

#: The arguments of both scripts, in order (the commit script's digest is the read's).
ARGUMENTS = (
    "namespace", "first_generation", "last_generation", "shards", "fields",
    "digest", "doc", "doc_raw", "record_tail", "member", "rank", "window", "now",
    "recent_cap", "depth", "write_generation", "expire_at", "max_candidates",
)  # fmt: skip

_PRELUDE = """
local ns, seen_digest, doc, doc_raw = ARGV[1], ARGV[6], ARGV[7], ARGV[8]
local record_tail, member, rank = ARGV[9], ARGV[10], ARGV[11]
local window, now = tonumber(ARGV[12]), ARGV[13]
local recent_cap, depth = tonumber(ARGV[14]), tonumber(ARGV[15])
local write_generation, expire_at = ARGV[16], ARGV[17]
local max_candidates, first_match = tonumber(ARGV[18]), 19

local function bucket(generation, band)
  local shard = string.sub(ARGV[4], 6 * band + 1, 6 * band + 6)
  return ns .. ':b:' .. generation .. ':' .. shard, string.sub(ARGV[5], 5 * band + 1, 5 * band + 5)
end

-- only generations around the current one can change: every worker writes into its
-- current generation, so the digest covers those (a worker's clock may lag or lead)
local recent_from, recent_to = tonumber(write_generation) - 1, tonumber(write_generation) + 1

local function observe(first, last)
  local values, parts = {}, {}
  for generation = first, last do
    for band = 0, #ARGV[5] / 5 - 1 do
      local key, field = bucket(generation, band)
      local value = redis.call('HGET', key, field) or ''
      values[#values + 1] = value
      if generation >= recent_from and generation <= recent_to then
        parts[#parts + 1] = #value .. ':' .. value
      end
    end
  end
  return values, redis.sha1hex(table.concat(parts))
end

local function resolve(story)
  for _ = 1, 64 do
    local successor = redis.call('GET', ns .. ':r:' .. story)
    if not successor then break end
    story = successor
  end
  if redis.call('EXISTS', ns .. ':s:' .. story) == 1 then return story end
  return nil
end

-- a story is a list: a header "created|rank|canonical index", then its members
local function header(key)
  local first = redis.call('LINDEX', key, 0)
  local created, best, canonical = string.match(first, '^(%d+)|(%d+)|(%d+)$')
  return tonumber(created), best, tonumber(canonical)
end

local function unhex(text)
  return (string.gsub(text, '..', function(pair) return string.char(tonumber(pair, 16)) end))
end

-- the oldest story survives a merge, so ids users already hold stay valid
local function oldest(found)
  local survivor, survivor_created = nil, nil
  for _, story in ipairs(found) do
    local created = header(ns .. ':s:' .. story)
    if survivor == nil or created < survivor_created
        or (created == survivor_created and story < survivor) then
      survivor, survivor_created = story, created
    end
  end
  return survivor
end

local function adopt_canonical(story_key, candidate_rank, candidate_index)
  local created, best = header(story_key)
  if candidate_rank > best then
    redis.call('LSET', story_key, 0, created .. '|' .. candidate_rank .. '|' .. candidate_index)
  end
end

local function absorb(story_key, survivor, story)
  local other_key = ns .. ':s:' .. story
  local _, other_rank, other_canonical = header(other_key)
  local offset = redis.call('LLEN', story_key) - 1
  for _, other_member in ipairs(redis.call('LRANGE', other_key, 1, -1)) do
    redis.call('RPUSH', story_key, other_member)
  end
  adopt_canonical(story_key, other_rank, offset + other_canonical)
  redis.call('DEL', other_key)
  redis.call('SET', ns .. ':r:' .. story, survivor, 'EX', window)
  redis.call('ZREM', ns .. ':recent', story)
end

local function write_bands()
  for band = 0, #ARGV[5] / 5 - 1 do
    local key, field = bucket(write_generation, band)
    local entries = doc_raw .. (redis.call('HGET', key, field) or '')
    redis.call('HSET', key, field, string.sub(entries, 1, 8 * depth))
    redis.call('EXPIREAT', key, expire_at)
  end
end

-- joins the document to the stories found (merging them) or founds its own
local function commit(found)
  local survivor = oldest(found)
  if survivor == nil then
    survivor = doc
    redis.call('RPUSH', ns .. ':s:' .. doc, now .. '|' .. rank .. '|1')
  end
  local story_key = ns .. ':s:' .. survivor
  local merged = {}
  for _, story in ipairs(found) do
    if story ~= survivor then
      absorb(story_key, survivor, story)
      merged[#merged + 1] = story
    end
  end
  local position = redis.call('RPUSH', story_key, member) - 1
  adopt_canonical(story_key, rank, position)
  redis.call('EXPIRE', story_key, window)
  redis.call('SET', ns .. ':d:' .. doc_raw, unhex(survivor) .. record_tail, 'EX', window)
  write_bands()
  redis.call('ZADD', ns .. ':recent', now, survivor)
  redis.call('ZREMRANGEBYRANK', ns .. ':recent', 0, -(recent_cap + 1))
  redis.call('EXPIRE', ns .. ':recent', window)
  local _, _, canonical = header(story_key)
  local canonical_member = cjson.decode(redis.call('LINDEX', story_key, canonical))
  local result = {'ok', survivor, canonical_member[1]}
  for _, story in ipairs(merged) do result[#result + 1] = story end
  return result
end

local held = redis.call('GET', ns .. ':d:' .. doc_raw)
if held then return {'held', held} end
"""

READ_SCRIPT = (
    _PRELUDE
    + """
local values, digest = observe(tonumber(ARGV[2]), tonumber(ARGV[3]))
local votes, order = {}, {}
for _, value in ipairs(values) do
  for k = 1, #value, 8 do
    local id = string.sub(value, k, k + 7)
    if id ~= doc_raw then
      if not votes[id] then
        votes[id] = 0
        order[#order + 1] = id
      end
      votes[id] = votes[id] + 1
    end
  end
end
table.sort(order, function(a, b)
  if votes[a] ~= votes[b] then return votes[a] > votes[b] end
  return a < b
end)

local reply = {'fresh', digest}
for i = 1, math.min(#order, max_candidates) do
  local record = redis.call('GET', ns .. ':d:' .. order[i])
  if record then reply[#reply + 1] = record end
end
if #reply == 2 then return commit({}) end
return reply
"""
)

COMMIT_SCRIPT = (
    _PRELUDE
    + """
local first = math.max(tonumber(ARGV[2]), recent_from)
local _, digest = observe(first, math.min(tonumber(ARGV[3]), recent_to))
if digest ~= seen_digest then return {'retry'} end

local found, seen = {}, {}
for i = first_match, #ARGV do
  local story = resolve(ARGV[i])
  if story and not seen[story] then
    seen[story] = true
    found[#found + 1] = story
  end
end
return commit(found)
"""
)
