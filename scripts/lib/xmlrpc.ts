// Odoo's external XML-RPC API (`/xmlrpc/2/common`, `/xmlrpc/2/object`, module `rpc`).
// Used to configure a stack as admin and, in integration tests, as an oracle.
import xmlrpc from 'xmlrpc';

/** What XML-RPC can carry. */
export type XmlRpcValue =
  | null
  | boolean
  | number
  | string
  | Date
  | Buffer
  | XmlRpcValue[]
  | { [key: string]: XmlRpcValue };

export class OdooRpcError extends Error {
  constructor(
    message: string,
    readonly faultCode?: unknown,
  ) {
    super(message);
    this.name = 'OdooRpcError';
  }
}

function call(url: string, method: string, params: XmlRpcValue[]): Promise<unknown> {
  const client = xmlrpc.createClient({ url });
  return new Promise((resolveCall, reject) => {
    client.methodCall(method, params, (error: unknown, value: unknown) => {
      if (error) {
        const fault = error as { faultString?: unknown; faultCode?: unknown; message?: unknown };
        const text = typeof fault.faultString === 'string' ? fault.faultString : String(fault.message ?? error);
        // Odoo puts the whole traceback in faultString: keep its last line, which is the error itself.
        const lines = text.trim().split('\n');
        const summary = lines[lines.length - 1] ?? text;
        reject(new OdooRpcError(`${method} on ${url} failed: ${summary}`, fault.faultCode));
      } else {
        resolveCall(value);
      }
    });
  });
}

export class OdooXmlRpc {
  readonly #baseUrl: string;
  readonly #db: string;

  constructor(baseUrl: string, db: string) {
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
    this.#db = db;
  }

  /** `common.version()` */
  version(): Promise<unknown> {
    return call(`${this.#baseUrl}/xmlrpc/2/common`, 'version', []);
  }

  /** The uid of `login`, or an error when the credentials are refused. */
  async authenticate(login: string, password: string): Promise<number> {
    const uid = await call(`${this.#baseUrl}/xmlrpc/2/common`, 'authenticate', [this.#db, login, password, {}]);
    if (typeof uid !== 'number' || uid <= 0) throw new OdooRpcError(`Odoo refused the login ${login}`);
    return uid;
  }

  /** Log in and return a session bound to that user. */
  async login(login: string, password: string): Promise<OdooSession> {
    const uid = await this.authenticate(login, password);
    return new OdooSession(`${this.#baseUrl}/xmlrpc/2/object`, this.#db, uid, password);
  }
}

/** `execute_kw` calls as one user. */
export class OdooSession {
  constructor(
    readonly objectUrl: string,
    readonly db: string,
    readonly uid: number,
    readonly password: string,
  ) {}

  executeKw(model: string, method: string, args: XmlRpcValue[] = [], kwargs: { [key: string]: XmlRpcValue } = {}): Promise<unknown> {
    return call(this.objectUrl, 'execute_kw', [this.db, this.uid, this.password, model, method, args, kwargs]);
  }

  async search(model: string, domain: XmlRpcValue[], kwargs: { [key: string]: XmlRpcValue } = {}): Promise<number[]> {
    return expectIds(await this.executeKw(model, 'search', [domain], kwargs), `${model}.search`);
  }

  async create(model: string, values: { [key: string]: XmlRpcValue }): Promise<number> {
    const id = await this.executeKw(model, 'create', [values]);
    if (typeof id === 'number') return id;
    const ids = expectIds(id, `${model}.create`);
    if (ids.length !== 1 || ids[0] === undefined) throw new OdooRpcError(`${model}.create returned ${JSON.stringify(id)}`);
    return ids[0];
  }

  async write(model: string, ids: number[], values: { [key: string]: XmlRpcValue }): Promise<void> {
    await this.executeKw(model, 'write', [ids, values]);
  }

  async searchRead(
    model: string,
    domain: XmlRpcValue[],
    fields: string[],
    kwargs: { [key: string]: XmlRpcValue } = {},
  ): Promise<Record<string, unknown>[]> {
    const rows = await this.executeKw(model, 'search_read', [domain], { fields, ...kwargs });
    if (!Array.isArray(rows)) throw new OdooRpcError(`${model}.search_read returned ${typeof rows}`);
    return rows.filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null);
  }
}

function expectIds(value: unknown, what: string): number[] {
  if (!Array.isArray(value) || !value.every((v): v is number => typeof v === 'number')) {
    throw new OdooRpcError(`${what} returned ${JSON.stringify(value)}, not a list of ids`);
  }
  return value;
}
