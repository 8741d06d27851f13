// Runs a complete local Bluesky network in one node process, on 127.0.0.1 only, with
// @atproto/dev-env's TestNetwork: the PLC directory, a PDS, the AppView (with its dataplane
// and firehose indexer), bsync and Ozone. start.sh launches it; it needs a PostgreSQL
// (DB_POSTGRES_URL). Every start begins from empty state.
//
// A small control server answers on CONTROL_PORT:
//   GET  /            the services' URLs and DIDs, as JSON
//   POST /process-all returns once the AppView has indexed all the PDS has written, so a
//                     test can read notifications and counts without guessing a delay.
import fs from 'node:fs'
import http from 'node:http'
import net from 'node:net'

const env = process.env
const port = (name, fallback) => Number.parseInt(env[name] || String(fallback), 10)
const ports = {
  plc: port('PLC_PORT', 2582),
  pds: port('PDS_PORT', 2583),
  appview: port('APPVIEW_PORT', 2584),
  ozone: port('OZONE_PORT', 2587),
  control: port('CONTROL_PORT', 2589),
}
const schema = env.DB_POSTGRES_SCHEMA || 'tertulia'
if (!env.DB_POSTGRES_URL) {
  console.error('DB_POSTGRES_URL is not set (postgresql://user@127.0.0.1:port/db)')
  process.exit(2)
}
if (env.PID_FILE) fs.writeFileSync(env.PID_FILE, String(process.pid))
// TestNetwork insists that REDIS_HOST is set but none of the services started here uses it.
env.REDIS_HOST ||= '127.0.0.1:6379'

// The services call listen(port) without a host, which binds every interface; some start
// helper servers on port 0 the same way. Bind whatever has no host to loopback instead.
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  const [first, second] = args
  const isPort = (value) => typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))
  if (args.length === 0 || typeof first === 'function') {
    args.unshift(0, '127.0.0.1')
  } else if (isPort(first) && typeof second !== 'string') {
    args.splice(0, 1, Number(first), '127.0.0.1')
  } else if (first && typeof first === 'object' && !(first instanceof net.Server) && !first.path && !first.host) {
    args[0] = { ...first, host: '127.0.0.1' }
  }
  return listen.apply(this, args)
}

// Start from nothing: the PLC directory lives in memory and the PDS in $TMPDIR (wiped by
// start.sh), so only the PostgreSQL schemas of a previous run remain to drop.
const { default: pg } = await import('pg')
const db = new pg.Client({ connectionString: env.DB_POSTGRES_URL })
await db.connect()
for (const prefix of ['appview', 'bsync', 'ozone']) {
  await db.query(`DROP SCHEMA IF EXISTS "${prefix}_${schema}" CASCADE`)
}
await db.end()

const started = Date.now()
const { TestNetwork, mockMailer } = await import('@atproto/dev-env')
const network = await TestNetwork.create({
  dbPostgresUrl: env.DB_POSTGRES_URL,
  dbPostgresSchema: schema,
  plc: { port: ports.plc },
  pds: {
    port: ports.pds,
    hostname: 'localhost',
    enableDidDocWithSession: true,
    // Off by default: tests create many accounts and sessions from one address.
    rateLimitsEnabled: env.RATE_LIMITS === '1',
  },
  bsky: { port: ports.appview, publicUrl: `http://localhost:${ports.appview}` },
  ozone: {
    port: ports.ozone,
    chatUrl: 'http://localhost:2590',
    chatDid: 'did:example:chat',
    dbMaterializedViewRefreshIntervalMs: 30_000,
  },
})
mockMailer(network.pds)

const info = {
  plc: { url: network.plc.url },
  pds: { url: network.pds.url, did: network.pds.ctx.cfg.service.did },
  appview: { url: network.bsky.url, did: network.bsky.ctx.cfg.serverDid },
  ozone: { url: network.ozone.url, did: network.ozone.ctx.cfg.service.did },
  control: { url: `http://127.0.0.1:${ports.control}` },
}

const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}
const control = http.createServer(async (req, res) => {
  try {
    if (req.method === 'POST' && req.url === '/process-all') {
      const t = Date.now()
      await network.processAll(15_000)
      json(res, 200, { ok: true, ms: Date.now() - t })
    } else if (req.method === 'GET' && req.url === '/') {
      json(res, 200, info)
    } else {
      json(res, 404, { error: 'NotFound' })
    }
  } catch (err) {
    json(res, 500, { error: String(err?.stack || err) })
  }
})
await new Promise((resolve) => control.listen(ports.control, '127.0.0.1', resolve))

if (env.INFO_FILE) fs.writeFileSync(env.INFO_FILE, JSON.stringify(info, null, 2))
for (const [name, service] of Object.entries(info)) {
  console.log(`${name.padEnd(8)} ${service.url}${service.did ? ` (${service.did})` : ''}`)
}
console.log(`network ready in ${Date.now() - started} ms`)

let stopping = false
async function stop() {
  if (stopping) return
  stopping = true
  console.log('network stopping')
  control.close()
  const deadline = new Promise((resolve) => setTimeout(resolve, 10_000))
  await Promise.race([network.close().catch((err) => console.error(err)), deadline])
  console.log('network stopped')
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
