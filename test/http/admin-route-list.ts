/**
 * Every `METHOD /path` of an app, read from `app.printRoutes({ commonPrefix: false })`: a tree
 * whose lines are `<indent>├── <segment> (GET, HEAD)`, a route's path being its ancestors'
 * segments and its own, joined. HEAD routes Fastify adds beside each GET are left out.
 */
export function routesOf(printed: string): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of printed.split('\n')) {
    const match = /^([\s│]*)(?:[└├]── )?(\S+)(?: \(([^)]*)\))?\s*$/.exec(line);
    if (match === null) continue;
    const depth = Math.floor((match[1] ?? '').length / 4) + (line.includes('── ') ? 1 : 0);
    stack.length = depth;
    stack[depth] = match[2] ?? '';
    const path = stack.slice(0, depth + 1).join('').replace(/^\/?/, '/');
    for (const method of (match[3] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '' && m !== 'HEAD')) routes.push(`${method} ${path}`);
  }
  return [...new Set(routes)].sort();
}

/** The admin API's routes (under /admin/api/). */
export function adminRoutesOf(printed: string): string[] {
  return routesOf(printed).filter((route) => route.split(' ')[1]?.startsWith('/admin/api/'));
}
