// Entry file of the render worker thread when mcdsl runs from source.
import { runRenderWorker } from "./worker.ts";

runRenderWorker();
