// ESP firmware images: parse, check against a chip, summarise.
export { parseImage, parseImageHeader, type ImageHeader, type ImageInfo, type ImageSegment } from './parse-image'
export { decodeAppDescriptor, decodeBootloaderDescriptor, type AppDescriptor, type BootloaderDescriptor } from './descriptors'
export { checkImageForChip, formatRevision, type TargetDevice } from './chip-check'
export { formatImage } from './format-image'
export { isFatalImageProblem, throwIfImageInvalid, type ImageProblem, type ImageProblemCode } from './problems'
export { memoryTypes, isFlashMapped } from './memory-map'
export { flashFrequencyCode, flashFrequencyName, FLASH_MODES, FLASH_SIZES, IMAGE_MAGIC } from './image-format'
export { Sha256, sha256, toHex } from './sha256'
