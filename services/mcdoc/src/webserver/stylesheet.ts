// MCDoc's stylesheet (after the kit's and its prose stylesheet): the documentation layout. Served
// under a content-hashed name, so it is cached for good.
import { join } from "node:path";
import { type ServiceStylesheet, serviceStylesheet } from "@metacircular/mcdsl/web";
import { PACKAGE_ROOT } from "../package-root.ts";

let loaded: ServiceStylesheet | undefined;

export function siteStylesheet(): ServiceStylesheet {
  loaded ??= serviceStylesheet(join(PACKAGE_ROOT, "src/webserver/static/mcdoc.css"), "mcdoc");
  return loaded;
}
