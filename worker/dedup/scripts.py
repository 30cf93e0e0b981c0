"""The Lua scripts that read and commit the index, one round trip each.

Both start from the same five arguments naming the LSH buckets of a document (its
bands in each live time generation): ``namespace, first generation, last
generation, shards, fields``, where ``shards`` holds a 6-hex-digit shard per band
and ``fields`` a 5-byte field per band (a few blobs rather than dozens of
arguments: packing arguments costs the client more than the script costs Redis).

The read script returns the document's own record if it is already indexed, else a
digest of what the buckets hold and the records of the documents they name, most
votes first. Python judges those candidates, then the commit script checks, inside
Redis, that the buckets still hold what the digest says (else it answers ``retry``
and the caller reads again), so two workers adding copies of one story at the same
instant cannot both found a story. It then merges the stories the document matched,
picks the canonical version and writes the document's bands.

Keys are built from the namespace inside the scripts, which a single Redis (not a
cluster) allows.
"""

from __future__ import annotations

_OBSERVE = """
local function bucket(ns, generation, band)
  local shard = string.sub(ARGV[4], 6 * band + 1, 6 * band + 6)
  return ns .. ':b:' .. generation .. ':' .. shard, string.sub(ARGV[5], 5 * band + 1, 5 * band + 5)
end

local function observe(ns)
  local values, parts = {}, {}
  for generation = tonumber(ARGV[2]), tonumber(ARGV[3]) do
    for band = 0, #ARGV[5] / 5 - 1 do
      local key, field = bucket(ns, generation, band)
      local value = redis.call('HGET', key, field) or ''
      values[#values + 1] = value
      parts[#parts + 1] = #value .. ':' .. value
    end
  end
  return values, redis.sha1hex(table.concat(parts))
end
"""

READ_SCRIPT = (
    _OBSERVE
    + """
local ns = ARGV[1]
local values, digest = observe(ns)
local doc_raw, doc, limit = ARGV[6], ARGV[7], tonumber(ARGV[8])
local held = redis.call('GET', ns .. ':d:' .. doc)
if held then return {'held', held} end

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

local function hex(raw)
  return (string.gsub(raw, '.', function(c) return string.format('%02x', string.byte(c)) end))
end
local reply = {'fresh', digest}
for i = 1, math.min(#order, limit) do
  local record = redis.call('GET', ns .. ':d:' .. hex(order[i]))
  if record then reply[#reply + 1] = record end
end
return reply
"""
)

COMMIT_SCRIPT = (
    _OBSERVE
    + """
local ns = ARGV[1]
local _, digest = observe(ns)
local at = 6
local seen_digest, doc, doc_raw = ARGV[at], ARGV[at + 1], ARGV[at + 2]
local record_tail, member, rank = ARGV[at + 3], ARGV[at + 4], ARGV[at + 5]
local window, now = tonumber(ARGV[at + 6]), ARGV[at + 7]
local recent_cap, depth = tonumber(ARGV[at + 8]), tonumber(ARGV[at + 9])
local write_generation, expire_at = ARGV[at + 10], ARGV[at + 11]
local first_match = at + 12

local held = redis.call('GET', ns .. ':d:' .. doc)
if held then return {'held', held} end
if digest ~= seen_digest then return {'retry'} end

local function resolve(story)
  for _ = 1, 64 do
    local successor = redis.call('GET', ns .. ':r:' .. story)
    if not successor then break end
    story = successor
  end
  if redis.call('EXISTS', ns .. ':s:' .. story) == 1 then return story end
  return nil
end

local found, seen = {}, {}
for i = first_match, #ARGV do
  local story = resolve(ARGV[i])
  if story and not seen[story] then
    seen[story] = true
    found[#found + 1] = story
  end
end

-- a story is a list: a header "created|rank|canonical index", then its members
local function header(key)
  local first = redis.call('LINDEX', key, 0)
  local created, best, canonical = string.match(first, '^(%d+)|(%d+)|(%d+)$')
  return tonumber(created), best, tonumber(canonical)
end

-- the oldest story survives a merge, so ids users already hold stay valid
local survivor, survivor_created = nil, nil
for _, story in ipairs(found) do
  local created = header(ns .. ':s:' .. story)
  if survivor == nil or created < survivor_created
      or (created == survivor_created and story < survivor) then
    survivor, survivor_created = story, created
  end
end
if survivor == nil then
  survivor = doc
  redis.call('RPUSH', ns .. ':s:' .. doc, now .. '|' .. rank .. '|1')
end
local story_key = ns .. ':s:' .. survivor

local function adopt_canonical(candidate_rank, candidate_index)
  local created, best = header(story_key)
  if candidate_rank > best then
    redis.call('LSET', story_key, 0, created .. '|' .. candidate_rank .. '|' .. candidate_index)
  end
end

local merged = {}
for _, story in ipairs(found) do
  if story ~= survivor then
    local other_key = ns .. ':s:' .. story
    local _, other_rank, other_canonical = header(other_key)
    local offset = redis.call('LLEN', story_key) - 1
    for _, other_member in ipairs(redis.call('LRANGE', other_key, 1, -1)) do
      redis.call('RPUSH', story_key, other_member)
    end
    adopt_canonical(other_rank, offset + other_canonical)
    redis.call('DEL', other_key)
    redis.call('SET', ns .. ':r:' .. story, survivor, 'EX', window)
    redis.call('ZREM', ns .. ':recent', story)
    merged[#merged + 1] = story
  end
end

local position = redis.call('RPUSH', story_key, member) - 1
adopt_canonical(rank, position)
redis.call('EXPIRE', story_key, window)
local function unhex(text)
  return (string.gsub(text, '..', function(pair) return string.char(tonumber(pair, 16)) end))
end
redis.call('SET', ns .. ':d:' .. doc, unhex(survivor) .. record_tail, 'EX', window)

for band = 0, #ARGV[5] / 5 - 1 do
  local key, field = bucket(ns, write_generation, band)
  local entries = doc_raw .. (redis.call('HGET', key, field) or '')
  redis.call('HSET', key, field, string.sub(entries, 1, 8 * depth))
  redis.call('EXPIREAT', key, expire_at)
end

redis.call('ZADD', ns .. ':recent', now, survivor)
redis.call('ZREMRANGEBYRANK', ns .. ':recent', 0, -(recent_cap + 1))
redis.call('EXPIRE', ns .. ':recent', window)
local _, _, canonical = header(story_key)
local canonical_member = cjson.decode(redis.call('LINDEX', story_key, canonical))
local result = {'ok', survivor, canonical_member[1]}
for _, story in ipairs(merged) do result[#result + 1] = story end
return result
"""
)
