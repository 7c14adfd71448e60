// The running lab's demo firmware as a Flash drop: the same build folder the lab writes, handed
// to the bundle loading Flash uses, so Flash and Commission see it as the firmware chosen.
import { bytesToBase64 } from '../../common/base64'
import type { LabState, RequestInput } from '../../common/contract'
import { demoBuildFiles, DEMO_CHIPS } from '../../common/demo-firmware'
import type { ChipName } from '../../common/esp/chips'
import { PairKitError } from '../../common/errors'

export function labBundleInput(state: LabState): RequestInput<'bundle.load'> {
  const chip = state.chip as ChipName | undefined
  if (state.status === 'stopped' || state.status === 'stopping' || chip === undefined || !DEMO_CHIPS.includes(chip)) {
    throw new PairKitError('NOT_FOUND', 'the virtual lab is not running, so it has no firmware to load', { hint: 'Start the lab first, or drop a firmware build in the Flash view.' })
  }
  const files = demoBuildFiles({ chip })
  return { files: Object.entries(files).map(([relative, bytes]) => ({ path: `demo-firmware-${chip}/${relative}`, base64: bytesToBase64(bytes) })) }
}
