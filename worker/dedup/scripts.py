"""The Lua script that commits a document to the index in one atomic step.

Python reads the buckets and judges the candidates; this script then checks, inside
Redis, that no bucket it read has changed since (else it answers ``retry`` and the
caller reads again), so two workers adding copies of one story at the same instant
cannot both found a story. It also resolves merged stories, merges the stories the
document matched, picks the canonical version and writes the document's bands.

Keys are built from the namespace inside the script, which a single Redis (not a
cluster) allows.
"""

from __future__ import annotations

#: Bucket contents for every (generation, band), in one round trip.
READ_SCRIPT = """
local ns, generations = ARGV[1], tonumber(ARGV[2])
local bands_at = 3 + generations
local bands = tonumber(ARGV[bands_at])
local values = {}
for g = 3, 2 + generations do
  for b = bands_at + 1, bands_at + 2 * bands, 2 do
    local key = ns .. ':b:' .. ARGV[g] .. ':' .. ARGV[b]
    table.insert(values, redis.call('HGET', key, ARGV[b + 1]) or '')
  end
end
return values
"""

COMMIT_SCRIPT = """
local ns, doc, doc_raw = ARGV[1], ARGV[2], ARGV[3]
local record_tail, member, rank = ARGV[4], ARGV[5], ARGV[6]
local window, now = tonumber(ARGV[7]), ARGV[8]
local recent_cap, depth = tonumber(ARGV[9]), tonumber(ARGV[10])
local write_generation, expire_at = ARGV[11], ARGV[12]

local held = redis.call('GET', ns .. ':d:' .. doc)
if held then return {'dup', string.sub(held, 1, 16)} end

local generations = tonumber(ARGV[13])
local bands_at = 14 + generations
local bands = tonumber(ARGV[bands_at])
local at = bands_at + 2 * bands + 1
for g = 14, 13 + generations do
  for b = bands_at + 1, bands_at + 2 * bands, 2 do
    local key = ns .. ':b:' .. ARGV[g] .. ':' .. ARGV[b]
    if (redis.call('HGET', key, ARGV[b + 1]) or '') ~= ARGV[at] then return {'retry'} end
    at = at + 1
  end
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

local found, seen = {}, {}
for i = at, #ARGV do
  local story = resolve(ARGV[i])
  if story and not seen[story] then
    seen[story] = true
    table.insert(found, story)
  end
end

-- the oldest story survives a merge, so ids users already hold stay valid
local survivor, survivor_created = nil, nil
for _, story in ipairs(found) do
  local created = tonumber(redis.call('HGET', ns .. ':s:' .. story, 'created'))
  if survivor == nil or created < survivor_created
      or (created == survivor_created and story < survivor) then
    survivor, survivor_created = story, created
  end
end
if survivor == nil then
  survivor = doc
  redis.call('HSET', ns .. ':s:' .. doc, 'created', now)
end
local story_key = ns .. ':s:' .. survivor

local function adopt_canonical(candidate_rank, candidate_doc)
  local best = redis.call('HGET', story_key, 'rank')
  if candidate_rank and ((not best) or candidate_rank > best) then
    redis.call('HSET', story_key, 'rank', candidate_rank, 'canon', candidate_doc)
  end
end

local merged = {}
for _, story in ipairs(found) do
  if story ~= survivor then
    local other_key = ns .. ':s:' .. story
    local fields = redis.call('HGETALL', other_key)
    for i = 1, #fields, 2 do
      if string.sub(fields[i], 1, 2) == 'm:' then
        redis.call('HSET', story_key, fields[i], fields[i + 1])
      end
    end
    local other = redis.call('HMGET', other_key, 'rank', 'canon')
    adopt_canonical(other[1], other[2])
    redis.call('DEL', other_key)
    redis.call('SET', ns .. ':r:' .. story, survivor, 'EX', window)
    redis.call('ZREM', ns .. ':recent', story)
    table.insert(merged, story)
  end
end

redis.call('HSET', story_key, 'm:' .. doc, member)
adopt_canonical(rank, doc)
redis.call('EXPIRE', story_key, window)
redis.call('SET', ns .. ':d:' .. doc, survivor .. record_tail, 'EX', window)

for b = bands_at + 1, bands_at + 2 * bands, 2 do
  local bucket = ns .. ':b:' .. write_generation .. ':' .. ARGV[b]
  local entries = doc_raw .. (redis.call('HGET', bucket, ARGV[b + 1]) or '')
  redis.call('HSET', bucket, ARGV[b + 1], string.sub(entries, 1, 8 * depth))
  redis.call('EXPIREAT', bucket, expire_at)
end

redis.call('ZADD', ns .. ':recent', now, survivor)
redis.call('ZREMRANGEBYRANK', ns .. ':recent', 0, -(recent_cap + 1))
local canon = redis.call('HGET', story_key, 'canon')
local canonical_member = cjson.decode(redis.call('HGET', story_key, 'm:' .. canon))
local result = {'ok', survivor, canonical_member[1]}
for _, story in ipairs(merged) do table.insert(result, story) end
return result
"""
