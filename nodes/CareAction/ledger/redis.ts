/**
 * Redis ledger: the same rule as engine/care/limits.ts, run inside Redis as one Lua script per batch.
 * Redis runs a script to completion before any other command, so a batch is atomic with respect to
 * every other execution and queue-mode worker using the same Redis: caps and idempotency are exact.
 *
 * Keys (prefix = ledger name): `<p>:keys` hash idempotency key → planned ms; `<p>:h:<customer>` sorted
 * set of that customer's sends (member `key|channel|action|countsCap`, score = planned ms) and holdouts
 * (member `key|channel|action|0|h`: they count toward cooldowns only);
 * `<p>:o:<customer>` set of `channel|topic` opt-outs; `<p>:x` hash of outcomes (`key|event` → ms);
 * `<p>:c:<namespace>` hash of claimed keys, the namespaces listed in the set `<p>:cns`. Time indexes
 * for pruning, sorted sets scored by ms: `<p>:kt` (member `customer|key`), `<p>:xt` (`key|event`),
 * `<p>:ct:<namespace>` (claimed key). Scripts touch keys they compute, so this backend is for a single
 * Redis (with or without replicas / Sentinel), not Redis Cluster.
 *
 * `ioredis` is required lazily inside `openRedisLedger`, only when this backend is selected.
 */
import type { Redis as RedisClient } from 'ioredis';

import { kindCounts } from '../../engine/care/limits';
import type { DecisionRequest, DecisionVerdict, OptOutRecord, OutcomeRecord } from '../../engine/care/types';
import { LEDGER_CONNECT_TIMEOUT_MS, REDIS_COMMAND_TIMEOUT_MS, type CareLedger, type OutcomeResult, type PruneResult, type RedisSettings } from './types';

const DEFAULT_BATCH = 2000;
/** Records one prune script removes per kind before yielding Redis to other clients. */
const PRUNE_CHUNK = 5000;

/** Mirrors applyRequest() of engine/care/limits.ts line by line. */
const DECIDE_LUA = `
local p = ARGV[1]
local reqs = cjson.decode(ARGV[2])
local out = {}
for i, r in ipairs(reqs) do
  local key, customer, channel, topic, action, at, counts, kind, checkOpt, limits =
    r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10]
  local prev = redis.call('HGET', p .. ':keys', key)
  if prev then
    out[i] = {'duplicate', 0, 0, tonumber(prev)}
  else
    local verdict = nil
    -- Sends and holdouts alike: a customer is held out only when they would otherwise have been sent.
    if checkOpt == 1 then
      local o = p .. ':o:' .. customer
      if redis.call('SISMEMBER', o, '*|*') == 1 or redis.call('SISMEMBER', o, channel .. '|*') == 1
        or redis.call('SISMEMBER', o, '*|' .. topic) == 1 or redis.call('SISMEMBER', o, channel .. '|' .. topic) == 1 then
        verdict = {'optedOut', 0, 0, 0}
      end
    end
    if not verdict then
      local h = p .. ':h:' .. customer
      for li, l in ipairs(limits) do
        local lch, lac, capOnly, since, max, upto, holdouts = l[1], l[2], l[3], l[4], l[5], l[6], l[7]
        local n = 0
        for _, m in ipairs(redis.call('ZRANGEBYSCORE', h, since, upto)) do
          -- A holdout (member ending in |h) counts toward cooldowns only (kindCounts in limits.ts).
          local mk, mch, mac, mcap = string.match(m, '^(.-)|(.-)|(.-)|(%d)|h$')
          local held = mk ~= nil
          if not held then mk, mch, mac, mcap = string.match(m, '^(.-)|(.-)|(.-)|(%d)$') end
          if (lch == '' or mch == lch) and (lac == '' or mac == lac) and (capOnly == 0 or mcap == '1')
            and (not held or holdouts == 1) then
            n = n + 1
          end
        end
        if n >= max then
          verdict = {'limited', li, n, 0}
          break
        end
      end
    end
    if verdict then
      out[i] = verdict
    else
      redis.call('HSET', p .. ':keys', key, at)
      redis.call('ZADD', p .. ':kt', at, customer .. '|' .. key)
      local member = key .. '|' .. channel .. '|' .. action .. '|' .. counts
      if kind == 'holdout' then member = member .. '|h' end
      redis.call('ZADD', p .. ':h:' .. customer, at, member)
      out[i] = {'granted', 0, 0, 0}
    end
  end
end
return cjson.encode(out)
`;

const CLAIM_LUA = `
local p, ns, now = ARGV[1], ARGV[2], ARGV[4]
local h, t = p .. ':c:' .. ns, p .. ':ct:' .. ns
redis.call('SADD', p .. ':cns', ns)
local out = {}
for i, k in ipairs(cjson.decode(ARGV[3])) do
  out[i] = redis.call('HSETNX', h, k, now)
  if out[i] == 1 then redis.call('ZADD', t, now, k) end
end
return cjson.encode(out)
`;

const OUTCOME_LUA = `
local p = ARGV[1]
local out = {}
for i, o in ipairs(cjson.decode(ARGV[2])) do
  local known = redis.call('HEXISTS', p .. ':keys', o[1])
  local isNew = 0
  if known == 1 then isNew = redis.call('HSETNX', p .. ':x', o[1] .. '|' .. o[2], o[3]) end
  if isNew == 1 then redis.call('ZADD', p .. ':xt', o[3], o[1] .. '|' .. o[2]) end
  out[i] = {known, isNew}
end
return cjson.encode(out)
`;

/**
 * Removes up to ARGV[3] records of each kind older than ARGV[2] ms and returns how many of each:
 * decisions (with the customer's cap history before that time), outcomes, claimed keys.
 */
const PRUNE_LUA = `
local p, before, limit = ARGV[1], '(' .. ARGV[2], tonumber(ARGV[3])
local function old(index)
  return redis.call('ZRANGEBYSCORE', index, '-inf', before, 'LIMIT', 0, limit)
end
local decisions = old(p .. ':kt')
for _, m in ipairs(decisions) do
  local customer, key = string.match(m, '^(.-)|(.*)$')
  redis.call('HDEL', p .. ':keys', key)
  redis.call('ZREMRANGEBYSCORE', p .. ':h:' .. customer, '-inf', before)
  redis.call('ZREM', p .. ':kt', m)
end
-- Members of the time index that are fields of the hash: old ones leave both.
local function drop(index, hash)
  local members = old(index)
  for _, m in ipairs(members) do
    redis.call('HDEL', hash, m)
    redis.call('ZREM', index, m)
  end
  return #members
end
local outcomes = drop(p .. ':xt', p .. ':x')
local claims = 0
for _, ns in ipairs(redis.call('SMEMBERS', p .. ':cns')) do
  claims = claims + drop(p .. ':ct:' .. ns, p .. ':c:' .. ns)
end
return cjson.encode({#decisions, outcomes, claims})
`;

export function checkKeyPrefix(prefix: string): string {
	if (!/^[A-Za-z0-9_.:-]{1,60}$/.test(prefix)) {
		throw new Error(`Key prefix "${prefix}" may contain only letters, digits and _ . : - (at most 60)`);
	}
	return prefix;
}

async function connectRedis(settings: Omit<RedisSettings, 'keyPrefix'>): Promise<RedisClient> {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { Redis } = require('ioredis') as typeof import('ioredis');
	const client: RedisClient = new Redis({
		host: settings.host,
		port: settings.port,
		password: settings.password,
		username: settings.user,
		db: settings.database ?? 0,
		tls: settings.ssl ? { rejectUnauthorized: settings.verifyCertificate !== false } : undefined,
		lazyConnect: true,
		// Fail the execution instead of retrying forever when Redis is down.
		retryStrategy: () => null,
		maxRetriesPerRequest: 0,
		// A server that accepts the connection but never answers must fail the call, not hang it (see
		// postgres.ts): the connect, and each command, get a deadline.
		connectTimeout: LEDGER_CONNECT_TIMEOUT_MS,
		commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
		// The ready check's INFO runs outside the command deadline; the first real command checks the server.
		enableReadyCheck: false,
	});
	// Connection errors reach the caller through the rejected commands; without a listener ioredis
	// would also print them to the console.
	client.on('error', () => undefined);
	let connected = false;
	try {
		await client.connect();
		connected = true;
	} finally {
		// A refused connection has already ended; disconnecting it again would leave ioredis' 2-second
		// "destroy the stream" timer waiting for a close event that never comes.
		if (!connected && client.status !== 'end') client.disconnect();
	}
	return client;
}

/** The credential test: can we log in and PING? Writes nothing. */
export async function checkRedis(settings: Omit<RedisSettings, 'keyPrefix'>): Promise<void> {
	const client = await connectRedis(settings);
	try {
		await client.ping();
	} finally {
		client.disconnect();
	}
}

export async function openRedisLedger(settings: RedisSettings): Promise<CareLedger> {
	const p = checkKeyPrefix(settings.keyPrefix);
	const client = await connectRedis(settings);
	return new RedisLedger(client, p, settings.batchSize ?? DEFAULT_BATCH, settings.pruneChunk ?? PRUNE_CHUNK);
}

class RedisLedger implements CareLedger {
	readonly backend = 'redis' as const;

	constructor(
		private readonly client: RedisClient,
		private readonly p: string,
		private readonly batchSize: number,
		private readonly pruneChunk: number,
	) {}

	private async script(lua: string, ...args: Array<string | number>): Promise<unknown> {
		return JSON.parse((await this.client.eval(lua, 0, ...args)) as string);
	}

	async claimOnce(namespace: string, keys: readonly string[]): Promise<string[]> {
		const out: string[] = [];
		for (let i = 0; i < keys.length; i += this.batchSize) {
			const part = keys.slice(i, i + this.batchSize);
			const flags = (await this.script(CLAIM_LUA, this.p, namespace, JSON.stringify(part), Date.now())) as number[];
			part.forEach((k, j) => {
				if (flags[j] === 1) out.push(k);
			});
		}
		return out;
	}

	async decide(requests: readonly DecisionRequest[]): Promise<DecisionVerdict[]> {
		const verdicts: DecisionVerdict[] = [];
		for (let i = 0; i < requests.length; i += this.batchSize) {
			const part = requests.slice(i, i + this.batchSize);
			const encoded = part.map((r) => [
				r.key,
				r.customer,
				r.channel,
				r.topic,
				r.action,
				r.at,
				r.countsTowardCap ? 1 : 0,
				r.kind,
				r.checkOptOut ? 1 : 0,
				// A calendar period ends before `until` (exclusive: "(until" in ZRANGEBYSCORE).
				r.limits.map((l) => [
					l.match.channel ?? '',
					l.match.action ?? '',
					l.match.capOnly ? 1 : 0,
					l.since,
					l.max,
					l.until === undefined ? '+inf' : `(${l.until}`,
					// Whether earlier holdouts count (cooldowns only: kindCounts in engine/care/limits.ts).
					kindCounts('holdout', l) ? 1 : 0,
				]),
			]);
			const res = (await this.script(DECIDE_LUA, this.p, JSON.stringify(encoded))) as Array<
				[DecisionVerdict['status'], number, number, number]
			>;
			part.forEach((r, j) => {
				const [status, limitIndex, count, previousAt] = res[j];
				if (status === 'duplicate') verdicts.push({ key: r.key, status, previousAt });
				else if (status === 'limited') verdicts.push({ key: r.key, status, limit: r.limits[limitIndex - 1], count });
				else verdicts.push({ key: r.key, status });
			});
		}
		return verdicts;
	}

	async recordOutcomes(outcomes: readonly OutcomeRecord[]): Promise<OutcomeResult[]> {
		const results: OutcomeResult[] = [];
		for (let i = 0; i < outcomes.length; i += this.batchSize) {
			const part = outcomes.slice(i, i + this.batchSize);
			const res = (await this.script(OUTCOME_LUA, this.p, JSON.stringify(part.map((o) => [o.key, o.event, o.at])))) as Array<
				[number, number]
			>;
			part.forEach((o, j) => results.push({ key: o.key, known: res[j][0] === 1, isNew: res[j][1] === 1 }));
		}
		return results;
	}

	async optOut(entries: readonly OptOutRecord[]): Promise<void> {
		const pipeline = this.client.pipeline();
		for (const e of entries) pipeline.sadd(`${this.p}:o:${e.customer}`, `${e.channel}|${e.topic}`);
		const res = await pipeline.exec();
		const failed = res?.find(([error]) => error);
		if (failed) throw failed[0] as Error;
	}

	/** In chunks, so that Redis serves other clients between them; a chunk is atomic. */
	async prune(before: number): Promise<PruneResult> {
		const total: PruneResult = { decisions: 0, outcomes: 0, eventIds: 0 };
		for (;;) {
			const [decisions, outcomes, eventIds] = (await this.script(PRUNE_LUA, this.p, before, this.pruneChunk)) as number[];
			total.decisions += decisions;
			total.outcomes += outcomes;
			total.eventIds += eventIds;
			// Claims add up over namespaces: a chunk's worth in all of them together means "maybe more".
			if (decisions < this.pruneChunk && outcomes < this.pruneChunk && eventIds < this.pruneChunk) return total;
		}
	}

	async close(): Promise<void> {
		await this.client.quit().catch(() => this.client.disconnect());
	}
}
